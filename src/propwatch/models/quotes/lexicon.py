"""Word lists the attribution rules look up: cue verbs, title cues, pronouns.

Kept as data so the rules read as "is this a cue verb?" instead of long literal chains. Lemmas are
lower-case spaCy lemmas.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (keeps the lists below readable)."""
    return frozenset(text.split())


# Verbs that introduce reported speech or writing; they attach a direct quote on their own.
SPEECH_VERBS: frozenset[str] = _words(
    """
    say tell add write ask report note announce suggest argue tweet declare explain acknowledge
    claim reveal promise insist warn concede state recall respond reply conclude continue predict
    confirm deny admit assert contend complain boast joke quip observe remark maintain emphasize
    emphasise stress testify post exclaim shout yell scream mutter whisper cry vow pledge threaten
    urge caution speculate lament agree disagree charge allege mention describe comment counter
    retort chime echo interject proclaim announce brag gush muse wonder query demand plead beg
    recount read recite sing chant thunder snap fume rail scoff sneer laugh sigh begin start
    elaborate clarify specify repeat reiterate tout praise blast slam criticize criticise mock
    assure advise inform remind concur estimate indicate signal imply hint confide vent fret
    declare opine posit theorize theorise summarize summarise put write pen editorialize
    """
)

# Verbs of cognition or evidence that report a source's stance when they take a clause.
STANCE_VERBS: frozenset[str] = _words(
    """
    believe think know feel hope fear worry expect show find indicate suggest predict estimate
    doubt guess suspect reckon assume understand realize realise recognize recognise
    learn hear see wish want fret conclude determine decide agree insist acknowledge
    """
)

# Verbs that report only when they take a clause: "X pointed out that Y", "X questioned
# whether Y" ("hop": how the tagger lemmatises "hoped"); chosen on PolNeAR train, where at
# least half of their new attributions matched a gold one.
CLAUSE_VERBS: frozenset[str] = _words(
    """
    recommend propose accept question discuss convince point hop require demonstrate oppose
    rule cite imagine highlight consider notice calculate seem
    """
)

# Verbs whose object (and its complement) is the reported stance: "X endorsed Y",
# "X called Y “a liar”", "X wants to build a wall".
OBJECT_VERBS: frozenset[str] = _words(
    """
    support endorse back oppose criticize criticise praise defend attack blast slam accuse blame
    call describe label dub brand reject deny dismiss denounce condemn question challenge
    propose promise pledge vow urge ask demand seek want plan hope intend refuse decide threaten
    cite mention discuss announce offer recommend predict expect welcome applaud mock
    decline hop aim vote favor favour prefer
    express voice issue name list order highlight portray decry deem disclose quote
    reference request approve underscore outline attribute title credit invoke retweet
    retweete congratulate chide assail resist bemoan view remember consider sound thank
    """
) | _words(
    # chosen on PolNeAR train: as object cues, at least half of their new attributions
    # matched a gold one (at least 4 of them, or 3 of 3 for verbs of speech and thought)
    """
    characterize liken hail prohibit brush withdraw regard legalize circulate email look
    position encourage identify contrast promote mount disavow ban rule advocate compare
    ignore lay like expose point renew frame appoint pressure display champion upend trust
    trace spot ring rebuke protest pose permit illustrate coin articulate relish rebut
    pronounce perceive mull lambast foresee contemplate broadcast repudiate reaffirm
    downplay herald insult
    """
)

# Verbs of an impression whose subject is part of what is reported, with no one named: "X
# seems ready", "X appeared to lose his temper" (PolNeAR's content is the whole clause).
IMPRESSION_VERBS: frozenset[str] = _words("seem appear")

# Verbs whose passive subject is what is reported: "X was called Y", "X is seen as Y".
PASSIVE_VERBS: frozenset[str] = _words(
    """
    expect report mention support reject deem consider name declare show see view announce
    project disclose share intend echo say call
    """
)

# Verbs whose object is the person spoken to: in the passive or as a bare participle ("Berg was
# asked", "Asked about the talks, Berg…", "When told of the vote, Berg…") their subject is the
# hearer, and the speaker is the "by" agent or no one named.
ADDRESSEE_VERBS: frozenset[str] = _words(
    """
    ask tell question press quiz inform remind advise warn urge assure brief interview
    """
)

# Verbs whose object is the person told when it names someone ("told CNN", "told the crowd"):
# then they report no object (chosen on PolNeAR train, where such objects were rarely what is
# reported).
HEARER_VERBS: frozenset[str] = _words("tell inform brief remind assure")

# Common nouns for those told, spoken to or interviewed: "told the crowd", "told reporters".
HEARER_NOUNS: frozenset[str] = _words(
    """
    crowd audience reporter journalist supporter voter member panel committee station show
    newspaper host interviewer radio television magazine network outlet congress lawmaker
    rally group people senator colleague friend
    """
)

# Speech and stance verbs whose object is not what is said: "began the speech", "put the
# question", "maintained a lead" (under a third of such objects are attributions in PolNeAR).
NO_OBJECT_VERBS: frozenset[str] = _words(
    "begin start put maintain advise intend continue find add feel believe"
)

# Verbs whose prepositional object is the reported topic: "X talked about Y", "X spoke of Y".
TOPIC_VERBS: dict[str, frozenset[str]] = {
    "talk": frozenset({"about", "of", "on"}),
    # not "on": "spoke on condition of anonymity", "speaking on Tuesday", "on CNN"
    "speak": frozenset({"about", "of", "against"}),
    "write": frozenset({"about", "of", "on"}),
    "complain": frozenset({"about", "of"}),
    "warn": frozenset({"about", "of", "against"}),
    "argue": frozenset({"for", "against", "about"}),
    "call": frozenset({"for", "on"}),
    "comment": frozenset({"on", "about"}),
    "testify": frozenset({"about", "on"}),
    "campaign": frozenset({"for", "against", "on"}),
    "vote": frozenset({"for", "against"}),
    "rail": frozenset({"against", "about"}),
    "joke": frozenset({"about"}),
    "ask": frozenset({"about", "for"}),
    "press": frozenset({"for", "on"}),
    "push": frozenset({"for", "on"}),
    "advocate": frozenset({"for"}),
    "point": frozenset({"to", "at"}),
    "refer": frozenset({"to"}),
    "focus": frozenset({"on"}),
    "apologize": frozenset({"for"}),
    "apologise": frozenset({"for"}),
    "vouch": frozenset({"for"}),
    # chosen on PolNeAR train, as the object verbs above
    "open": frozenset({"about"}),
    "agree": frozenset({"on", "with"}),
    "think": frozenset({"about"}),
    "know": frozenset({"for"}),
    "hope": frozenset({"for"}),
    "accuse": frozenset({"of"}),
    "liken": frozenset({"to"}),
    "lash": frozenset({"at"}),
    "attribute": frozenset({"to"}),
    "align": frozenset({"with"}),
    "cast": frozenset({"as", "for"}),
    "hint": frozenset({"at"}),
    "double": frozenset({"on"}),
    "charge": frozenset({"with"}),
    "compare": frozenset({"to"}),
    "weigh": frozenset({"on"}),
    "respond": frozenset({"to"}),
    "look": frozenset({"to"}),
    "criticize": frozenset({"for"}),
    "worry": frozenset({"about"}),
    "tie": frozenset({"to"}),
    "care": frozenset({"about"}),
    "appeal": frozenset({"to"}),
    "side": frozenset({"with"}),
    "expand": frozenset({"on"}),
    "brace": frozenset({"for"}),
    "caution": frozenset({"against"}),
    "boast": frozenset({"of"}),
    "balk": frozenset({"at"}),
    "characterize": frozenset({"as"}),
}

# Words before a quoted span that make it a title, not speech ("the film “The Putin Interviews”").
TITLE_CUES: frozenset[str] = _words(
    """
    film movie book novel memoir show series documentary song album article essay column op-ed
    oped headline headlined titled entitled called dubbed named episode program programme play
    magazine newspaper podcast video campaign slogan hashtag report poem painting label term
    phrase word nickname motto catchphrase
    """
)

# Personal pronouns that can stand for a speaker, mapped to the kind of antecedent they take.
PRONOUNS: dict[str, str] = {
    "he": "person",
    "him": "person",
    "she": "person",
    "her": "person",
    "they": "group",
    "them": "group",
    "i": "self",
    "we": "self",
    "it": "thing",
}

# Entity labels that can be a speaker, in order of preference when a mention has several.
SPEAKER_ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "NORP", "GPE")

# Honorifics and titles dropped before a name is used as a key ("Mrs. Clinton" -> "Clinton").
HONORIFICS: frozenset[str] = _words(
    """
    mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. gen gen. president senator
    governor secretary representative congressman congresswoman mayor judge justice sir lady
    prime minister chancellor ambassador envoy capt capt. captain col col. colonel lt lt. sgt sgt.
    """
)

# Role nouns that name the same job: "filmmaker Marcus Valen ... the director said" is one
# person. Each maps to one key; other role nouns are their own key.
ROLE_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(["filmmaker", "film-maker", "documentarian", "moviemaker"], "director"),
    **dict.fromkeys(["journalist", "correspondent"], "reporter"),
    **dict.fromkeys(["spokesman", "spokeswoman"], "spokesperson"),
    **dict.fromkeys(["legislator", "congressman", "congresswoman"], "lawmaker"),
}


# Role nouns the tagger may take for a name when capitalised ("Filmmaker Marcus Valen").
KNOWN_ROLES: frozenset[str] = frozenset(ROLE_SYNONYMS) | frozenset(ROLE_SYNONYMS.values())


def role_key(lemma: str) -> str:
    """The key under which a role noun's lemma (lower case) is indexed and looked up."""
    return ROLE_SYNONYMS.get(lemma, lemma)


# Nouns that report speech, a stance or an intent: "Trump's claim that…", "criticism of…",
# "her call for…", "a critic of…". Words whose attributions matched a gold one less than 30%
# of the time on PolNeAR train are left out (backing, opposition, position, response, stance,
# supporter, threat), as are "ready" and "clear" below and "figure" and "project" above.
NOUN_CUES: frozenset[str] = _words(
    """
    criticism support attack call claim view decision endorsement plan promise
    proposal complaint argument request comment assertion fear suggestion allegation concern
    remark accusation announcement advice pledge demand message hope warning doubt
    appeal insistence belief denial praise statement vow question
    reaction affection outrage condemnation push idea opinion charge suspicion confidence
    objection refusal rejection defense defence embrace testimony admission
    acknowledgment recommendation prediction estimate assessment explanation excuse
    critic opponent proponent advocate fan skepticism scepticism disdain contempt
    praise admiration respect frustration anger disappointment concern worry anxiety
    assurance guarantee commitment intention wish desire insistence
    """
) | _words(
    # chosen on PolNeAR train, as the object verbs
    """
    mention critique detail point word case evidence failure goal talk reference contrast
    appointment speculation reluctance ruling contention apology theory
    """
)

# Cue nouns that report speech even when no one holds them: "the accusation that Y", "a
# promise to Y" (chosen on PolNeAR train: at least half of such attributions matched).
OWNERLESS_NOUN_CUES: frozenset[str] = _words(
    """
    assertion accusation suggestion promise endorsement belief complaint critic claim hope
    talk remark rejection opponent demand
    """
)

# Prepositions whose object is what a cue noun reports about: "criticism of", "call for".
NOUN_CUE_PREPOSITIONS: frozenset[str] = _words(
    "of for to about on over against toward towards with"
)


# Adjectives that state a stance of the subject of "be": "X is confident that…", "X was
# critical of…", "X is eager to…".
ADJECTIVE_CUES: frozenset[str] = _words(
    """
    convinced confident sure certain skeptical sceptical critical supportive opposed hopeful
    optimistic pessimistic worried concerned afraid adamant aware eager determined
    unwilling willing reluctant proud angry upset furious happy pleased glad satisfied
    disappointed frustrated unhappy fond wary suspicious dismissive hostile sympathetic
    open committed insistent firm keen intent devoted interested
    """
)
