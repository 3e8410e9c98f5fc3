"""The news cue and opinion layer: what a fact-checker looks for in a sentence.

The trained scorers learned check-worthiness from US debate transcripts.
News prose differs: it is full of names and places, so a debate-trained model
scores framing ("As these developments unfold, the global community remains
on high alert ...") as check-worthy, and it can miss a plain news fact that a
debater would never say ("Authorities are preparing to release more than
80,000 peace doves").  This module reads the surface signs a fact-checker
reads: figures, dates, quotes with a speaker, named sources, events, records,
and on the other side framing, evaluation and speculation.

It works on a sentence string alone (no spaCy) because ``workbench score``
scores sentences from stdin and must give the same number as extraction.

Cues are split into *hard* facts, which alone make a sentence checkable (a
figure with a unit, an explicit date, a quote with its speaker, a named
source, a named actor doing something), and *soft* signals that only nudge.
Framing is split the same way: *strong* framing is a main clause that says
nothing checkable ("Analysts are closely monitoring", "the world will be
watching"); *weak* framing is evaluation riding along with a fact ("critical",
"symbolizing a complex blend").  :mod:`.scoring` turns these into a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.core.nlp.facts.quantities import Quantity, find_quantities

_I = re.IGNORECASE

MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_EXPLICIT_DATE = re.compile(
    rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\b"
    rf"|\b{MONTHS},?\s+(?:of\s+)?\d{{4}}\b"
    r"|\b(?:in|since|by|until|from|during|before|after|of|early|late|mid-?)\s+(?:1[6-9]|20)\d\d\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:1[6-9]|20)\d0s\b"
    r"|\b\d+\s+(?:years?|decades?|centuries|months?)\s+(?:ago|since|after|before|later)\b"
    r"|\b(?:anniversary|centenary|centennial)\b",
)
_SOFT_DATE = re.compile(
    rf"\b(?:on|this|next|last|by|since|until)\s+{WEEKDAYS}\b|\b{WEEKDAYS}\b"
    r"|\b(?:yesterday|today|tonight|tomorrow)\b"
    r"|\b(?:last|next|this|past)\s+(?:week|month|year|decade|spring|summer|autumn|fall|winter)\b"
    r"|\b(?:1[6-9]|20)\d\d\b",
)

_QUOTE_PAIRS = re.compile(r"“([^”]{1,600})”|\"([^\"]{1,600})\"|«([^»]{1,600})»|‘([^’]{8,600})’")
_SAYING = re.compile(
    r"\b(?:said|says|say|saying|stated|states|stating|told|tells|telling|added|adding|"
    r"declared|declaring|described|describing|called|calling|warned|warning|insisted|"
    r"claimed|claiming|noted|noting|wrote|writes|announced|announcing|remarked|"
    r"argued|arguing|according to|asked|replied|explained|vowed|pledged|quoted)\b",
    _I,
)
_ATTRIBUTION = re.compile(
    r"\baccording to\b"
    r"|\b(?:reports?|data|figures|statistics|records|estimates|surveys?|polls?|studies|"
    r"study|research|documents|sources|officials|authorities|analysis)\s+"
    r"(?:indicate|indicates|show|shows|showed|suggest|suggests|suggested|found|finds|"
    r"reveal|reveals|revealed|confirm|confirms|confirmed|say|says|said|put|puts)\b"
    r"|\b(?:estimates?|estimated|reported|reports|confirmed|announced|disclosed|"
    r"acknowledged|admitted|revealed)\s+(?:that|on|in|\d)"
    r"|\b(?:was|were|has been|have been|is|are)\s+(?:confirmed|reported|announced|"
    r"estimated|recorded)\b"
    r"|\b(?:agency|ministry|department|office|spokes(?:man|woman|person)|officials?|"
    r"government|police|military|army|intelligence|institute|bureau|commission|"
    r"council|committee|court)\s+(?:said|says|estimates?|estimated|reported|reports|"
    r"confirmed|announced|stated|claims?|claimed)\b",
    _I,
)
_EVENT_VERB = re.compile(
    r"\b(?:signed|finali[sz]ed|convened|met|meets|held|hosted|arrived|landed|deployed|"
    r"killed|died|launched|fired|announced|approved|passed|voted|won|lost|agreed|"
    r"attacked|invaded|visited|elected|appointed|resigned|fired|arrested|charged|"
    r"sentenced|released|banned|imposed|lifted|opened|closed|struck|seized|captured|"
    r"withdrew|sent|sold|bought|acquired|raised|cut|increased|decreased|rose|fell|"
    r"dropped|doubled|tripled|built|created|founded|established|ratified|vetoed|"
    r"introduced|enacted|unveiled|completed|recorded|welcomed|reached|"
    r"spent|paid|earned|lost|collapsed|exploded|crashed)\b"
    r"|\b(?:has|have|had)\s+(?:already\s+|just\s+|now\s+)?(?:been\s+)?[a-z]+ed\b",
    _I,
)
_COMPARISON = re.compile(
    r"\b(?:largest|biggest|smallest|highest|lowest|fastest|slowest|longest|shortest|"
    r"oldest|youngest|greatest|worst|best|deadliest|most|least|first|last-ever|only|"
    r"record|record-breaking|unprecedented|never before|more than ever|fewer than ever)\b"
    r"|\b[a-z]+est\b(?=\s+(?:since|ever|in\s+(?:history|decades|years)))"
    r"|\b(?:more|less|fewer|higher|lower|larger|smaller|bigger)\s+than\b"
    r"(?!\s+(?:[$€£¥]?\d|one|two|three|four|five|six|seven|eight|nine|ten|a\s+(?:dozen|hundred)))"
    r"|\b(?:doubled|tripled|halved|outnumber\w*)\b",
    _I,
)
_CAUSAL = re.compile(
    r"\b(?:because|due to|as a result|resulted in|results in|led to|leads to|lead to|"
    r"caused|causes|causing|thanks to|owing to|in response to|triggered|"
    r"responsible for|therefore|consequently|so that)\b",
    _I,
)
_PREDICTION = re.compile(
    r"\b(?:will|shall|is expected to|are expected to|is set to|are set to|is due to|"
    r"are due to|is scheduled to|are scheduled to|is likely to|are likely to|"
    r"plans? to|planning to|aims? to|is preparing to|are preparing to|is poised to|"
    r"are poised to|is projected to|are projected to|forecasts?|next (?:week|month|year))\b"
    r"|\b(?:going to)\b",
    _I,
)

_STRONG_FRAMING = re.compile(
    r"^\s*As\s+(?:the\s+world|the\s+globe|everyone|the\s+international\s+community)\s+"
    r"(?:watches|looks\s+on|waits)\b"
    r"|^\s*As\s+(?:these|those|such|the)\s+(?:developments?|events?|tensions?|"
    r"situations?|stakes)\s+(?:unfold|unfolds|continue|rise|grow|mount|evolve)\b"
    r"|\b(?:analysts|observers|experts|commentators|diplomats|critics|the\s+world|"
    r"the\s+international\s+community|the\s+global\s+community|all\s+eyes)\s+"
    r"(?:are|is|will\s+be|remain|remains)\s+(?:\w+ly\s+)?(?:monitoring|watching|"
    r"following|waiting|looking|on)\b"
    r"|\b(?:remains?|stays?|is|are)\s+on\s+(?:high\s+)?alert\b"
    r"|\bwill\s+be\s+watching\b|\bremains?\s+to\s+be\s+seen\b|\btime\s+will\s+tell\b"
    r"|^\s*(?:His|Her|Their|These|Those|This|The|Such)\s+(?:comments?|remarks?|"
    r"statements?|words|moves?|actions?|developments?|events?)\s+(?:highlight|"
    r"underscore|underline|reflect|show|signal|illustrate|demonstrate|suggest|"
    r"point|speak)\w*\b"
    r"|\bthe\s+implications\s+of\b.*\b(?:could|may|might|would)\b"
    r"|\bwith\s+the\s+stakes\s+higher\b",
    _I,
)
_WEAK_FRAMING = re.compile(
    r"\b(?:highlight\w*|underscor\w*|signal(?:s|ing|ed)?|symboli[sz]\w*|reflect\w*|"
    r"crucial|critical|pivotal|stark|significant(?:ly)?|dramatic(?:ally)?|drastic(?:ally)?|"
    r"historic|massive|growing|escalating|heightened|complex|vision|potential(?:ly)?|"
    r"implications|reshape|landscape|dynamics|solidarity|amid(?:st)?|"
    r"meticulous|high-profile|notably|particularly|further)\b"
    r"|\b(?:could|might|may|would)\b|^\s*As\s+\w+"
    r"|\bnot\s+just\s+(?:a|an)\b",
    _I,
)
_FIRST_PERSON_OPINION = re.compile(
    r"\b(?:I|we)\s+(?:think|believe|feel|hope|want|need|must|should|will|would|can|"
    r"am\s+going\s+to|are\s+going\s+to)\b"
    r"|\b(?:in my (?:view|opinion)|let me|thank you|my friends?)\b",
    _I,
)
_PROPER_WORD = re.compile(r"(?<![.!?]\s)(?<!^)\b(?!I\b|I[’'])[A-Z][a-zA-Z’'.-]*")
_PERSONAL = re.compile(
    r"\b(?:I|me|my|mine|we|us|our|ours|you|your|yours)\b|\bI[’'](?:m|ve|ll|d)\b", _I
)
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Cues:
    """The surface signs found in one sentence; see the module docstring."""

    quantity: bool = False
    quantity_strong: bool = False
    date_explicit: bool = False
    date_soft: bool = False
    quote: bool = False
    quote_attributed: bool = False
    attribution: bool = False
    event: bool = False
    comparison: bool = False
    causal: bool = False
    prediction: bool = False
    proper_names: int = 0
    strong_framing: bool = False
    weak_framing: int = 0
    first_person: bool = False  # "I think", "we must": the speaker's opinion
    personal: bool = False  # I/we/you outside quotes: a speaker, not a reporter
    question: bool = False
    words: int = 0
    hard: tuple[str, ...] = field(default_factory=tuple)
    quantities: tuple[Quantity, ...] = ()  # offsets into the analysed string; reused as facts

    @property
    def has_hard_fact(self) -> bool:
        return bool(self.hard)


def strip_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out, so a speaker's "we must"
    is not read as the reporter's opinion."""
    return _QUOTE_PAIRS.sub(lambda m: " " * len(m.group(0)), sentence)


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Offsets of the quoted text (inside the quote marks) in ``sentence``."""
    spans: list[tuple[int, int]] = []
    for m in _QUOTE_PAIRS.finditer(sentence):
        for group in range(1, 5):
            if m.group(group) is not None:
                spans.append((m.start(group), m.end(group)))
                break
    return spans


def analyze(sentence: str) -> Cues:
    """Read the cues of one sentence (or clause)."""
    outside = strip_quotes(sentence)
    quantities = find_quantities(sentence)
    quantity = bool(quantities)
    quantity_strong = any(
        q.unit is not None or q.hedge != "exact" or (isinstance(q.value, int) and q.value >= 10)
        for q in quantities
    )
    date_explicit = bool(_EXPLICIT_DATE.search(outside))
    date_soft = bool(_SOFT_DATE.search(outside))
    quotes = quoted_spans(sentence)
    long_quote = any(len(_WORDS.findall(sentence[a:b])) >= 4 for a, b in quotes)
    quote = bool(quotes)
    quote_attributed = (
        quote
        and bool(_SAYING.search(outside))
        and (long_quote or any(not _is_title_case(sentence[a:b]) for a, b in quotes))
    )
    attribution = bool(_ATTRIBUTION.search(outside))
    proper = len(_PROPER_WORD.findall(outside))
    event = bool(_EVENT_VERB.search(outside))
    strong_framing = bool(_STRONG_FRAMING.search(outside))
    weak = len(_WEAK_FRAMING.findall(outside))
    first_person = bool(_FIRST_PERSON_OPINION.search(outside))
    personal = bool(_PERSONAL.search(outside))
    question = outside.rstrip().endswith("?")

    hard: list[str] = []
    if quantity_strong:
        hard.append("quantity")
    if date_explicit:
        hard.append("date")
    if quote_attributed:
        hard.append("quote")
    if attribution and (proper or quantity or date_explicit or date_soft):
        hard.append("attribution")
    if event and proper >= 1:
        hard.append("event")
    return Cues(
        quantity=quantity,
        quantity_strong=quantity_strong,
        date_explicit=date_explicit,
        date_soft=date_soft,
        quote=quote,
        quote_attributed=quote_attributed,
        attribution=attribution,
        event=event,
        comparison=bool(_COMPARISON.search(outside)),
        causal=bool(_CAUSAL.search(outside)),
        prediction=bool(_PREDICTION.search(outside)),
        proper_names=proper,
        strong_framing=strong_framing,
        weak_framing=weak,
        first_person=first_person,
        personal=personal,
        question=question,
        words=len(_WORDS.findall(sentence)),
        hard=tuple(hard),
        quantities=tuple(quantities),
    )


def _is_title_case(quoted: str) -> bool:
    """ "America First" is a slogan or a name, not a quotation to attribute."""
    words = _WORDS.findall(quoted)
    return 0 < len(words) <= 4 and all(w[0].isupper() for w in words)


def cue_logit(cues: Cues) -> float:
    """Evidence for check-worthiness from cues alone, in log-odds.

    The weights are set by hand from the behaviour wanted (see the module
    docstring), then checked against the debate dev set and the sample
    article (tests/unit/nlp/test_scoring.py); they are not fitted, so they
    carry no debate bias of their own.
    """
    z = -1.2
    if cues.quantity_strong:
        z += 1.6
    elif cues.quantity:
        z += 0.6
    if cues.date_explicit:
        z += 1.3
    elif cues.date_soft:
        z += 0.5
    if cues.quote_attributed:
        z += 1.3
    elif cues.quote:
        z += 0.3
    if cues.attribution:
        z += 1.0
    if cues.event:
        z += 0.9 if cues.proper_names else 0.4
    z += min(cues.proper_names, 4) * 0.25
    if cues.comparison:
        z += 0.5
    if cues.causal:
        z += 0.2
    if cues.prediction and not cues.has_hard_fact:
        z -= 0.4
    if cues.strong_framing:
        z -= 2.2
    z -= min(cues.weak_framing, 4) * 0.3
    if cues.question:
        z -= 1.0
    if cues.first_person:
        z -= 1.0
    elif cues.personal:
        z -= 0.3
    if cues.words < 5:
        z -= 1.0
    return z


def framing_adjustment(cues: Cues) -> float:
    """The part of the cue evidence that debate-trained models cannot see, in log-odds.

    Added to a trained model's logit.  It is deliberately one-sided toward
    news-specific signals (named sources, quotes with speakers, framing
    leads) and small for what the models already weigh (figures, first
    person), so that debate scores barely move.
    """
    z = 0.0
    if cues.attribution:
        z += 0.5
    if cues.quote_attributed:
        z += 0.5
    if cues.date_explicit:
        z += 0.3
    if cues.quantity_strong:
        z += 0.3
    if cues.strong_framing:
        z -= 2.0
    z -= min(cues.weak_framing, 4) * 0.25
    return z
