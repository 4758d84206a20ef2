"""Who may override and decide: reviewer names, the one key that tells people apart, and the
rules a name must meet to count as a person's.

**Display form** (what is recorded): Unicode NFKC, invisible characters (zero-width spaces,
joiners, direction marks, variation selectors...) removed, runs of white space squeezed to one
space.

**Person key** (what tells people apart, :func:`person_key`): the display form decomposed
(NFKD), combining marks dropped, case folded, cut into words at every character that is not a
letter or digit, the words sorted and joined without a separator. So ``"A. Jansen"``,
``"a.jansen"``, ``"A Jansen"``, ``"Jansen, A."`` and ``"A. Jansén"`` are one person.

**Rules** (:func:`reviewer_name`): at least two letters; no look-alike letters
(:func:`lookalike_problem`: fullwidth, mathematical, circled, superscript forms; small
capitals, dotless ``ı``/``ȷ`` and other Latin letters that pass for another; a name whose
letters are not all of one script; scripts made of Latin look-alikes such as Cherokee or Lisu;
a Greek, Cyrillic or Armenian name spelt only with letters that look Latin); not a placeholder
(``"system"``, ``"Systeem"``, ``"Beheerder"``, ``"Onbekend"``, ``"Admin1"``, ``"ChatGPT"``,
a bot, ``"Test Gebruiker"``...); not the workspace's automated actor.
"""

from __future__ import annotations

import re
import unicodedata

from skilltwin._identity import ID_MAX_LENGTH, INVISIBLE
from skilltwin.errors import OversightError

__all__ = ["display_name", "lookalike_problem", "person_key", "placeholder_word",
           "reason_text", "reviewer_name", "same_name", "same_person", "spelling_key"]


# -- placeholders -------------------------------------------------------------------------------
# Words that never name a person: one of them anywhere in a name refuses it.
_MACHINE_WORDS = frozenset({
    "bot", "bots", "chatbot", "robot", "llm", "ml", "api", "gpt", "chatgpt",
    "openai", "copilot", "gemini", "bard", "llama", "mistral", "grok", "deepseek",
    "perplexity", "cortana", "siri", "assistant", "assistent", "agent", "model", "machine",
    "computer", "server", "script", "cron", "crontab", "scheduler", "daemon", "pipeline",
    "service", "dienst", "process", "proces", "batch", "job", "engine", "algorithm",
    "algoritme", "automated", "automatic", "automatisch", "automation",
    "automatisering", "automaat", "auto", "skilltwin", "system", "systeem", "systemen",
    "sistema", "sistem", "systeme", "admin", "administrator", "beheerder", "beheer", "root",
    "noreply", "donotreply", "webmaster", "postmaster", "sysadmin", "superuser", "sysop",
    "система", "систем", "админ", "администратор", "бот",
})
# Digits typed for letters ("Adm1n", "Syst3m", "5ystem") are read as those letters too.
_DIGIT_LETTERS = str.maketrans("0134578", "oieastb")
# Parts of a word that never name a person ("HRbot", "ReviewGPT", "Systeembeheer").
_MACHINE_PARTS = ("chatbot", "gpt", "openai", "copilot", "skilltwin", "noreply", "system",
                  "systeem", "admin", "beheerder", "automat")
# Words that name a machine when written in capitals ("AI", "KI"), but may be a first name
# otherwise ("Ai Tanaka").
_MACHINE_ACRONYMS = frozenset({"AI", "KI", "A.I.", "K.I."})
# Words that do not name a person on their own: a name made only of these (and initials) is
# refused ("Test Gebruiker", "Onbekend", "De Reviewer"), but "Jan de Vries" is a name.
_EMPTY_WORDS = frozenset({
    "test", "tester", "testing", "testuser", "testgebruiker", "user", "users", "gebruiker",
    "gebruikers", "benutzer", "utilisateur", "usuario", "unknown", "onbekend", "unbekannt",
    "inconnu", "anonymous", "anoniem", "anonym", "anon", "nobody", "niemand", "noone",
    "none", "geen", "leeg", "empty", "null", "nil", "undefined", "na", "nvt", "tbd", "tbc",
    "todo", "xxx", "xx", "reviewer", "reviewers", "beoordelaar", "controleur", "human",
    "mens", "person", "persoon", "someone", "somebody", "iemand", "me", "ik", "self", "zelf",
    "iedereen", "everyone", "everybody", "allen", "alle", "all", "wij", "we", "us", "ons",
    "manager", "hr", "pz", "hrm", "team", "afdeling", "department", "medewerker",
    "medewerkster", "werknemer", "onbekende", "anonieme", "nieuwe", "tijdelijke",
    "employee", "staff", "personeel", "default", "standaard", "example", "voorbeeld",
    "sample", "demo", "dummy", "fake", "placeholder", "naam", "name", "firstname",
    "lastname", "voornaam", "achternaam", "info", "support", "helpdesk", "servicedesk",
    "operator", "owner", "eigenaar", "guest", "gast", "account", "functioneel",
    "de", "van", "der", "den", "het", "ter", "ten", "te", "the", "von", "la", "le",
    "mr", "mrs", "ms", "dhr", "mevr", "heer", "mevrouw", "sir", "madam",
})
# Surnames that end in "bot".
_BOT_SURNAMES = frozenset({"talbot", "abbot", "cabot", "thibot", "hebbot"})

# -- look-alikes ------------------------------------------------------------------------------
# Compatibility forms that only look like ordinary letters: NFKC folds them, but a name
# typed with them is a disguise, so it is refused.
_DISGUISED_FORMS = ("<font>", "<wide>", "<narrow>", "<circle>", "<super>", "<sub>", "<small>",
                    "<square>", "<vertical>", "<fraction>")
# Scripts a name may be written in (the first word of a letter's Unicode name; Chinese,
# Japanese and Korean count as one). Scripts made of Latin look-alikes (Cherokee, Lisu,
# Coptic, Old Italic, Osage, Deseret...) are not among them.
_HAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HANGUL", "BOPOMOFO",
                  "IDEOGRAPHIC"})
_SCRIPTS = frozenset({
    "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "GEORGIAN", "HEBREW", "ARABIC", "SYRIAC",
    "THAANA", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU",
    "KANNADA", "MALAYALAM", "SINHALA", "THAI", "LAO", "TIBETAN", "MYANMAR", "ETHIOPIC",
    "KHMER", "MONGOLIAN", "HAN",
})
# Letters of these scripts that look like Latin ones: a name spelt only with them (plus
# marks) could pass for a Latin name, so it is refused.
_LATIN_LOOKALIKES = {
    "CYRILLIC": frozenset("АВЕЅІЈКМНОРСТУХҮӀԚԜЬаеѕіјорсухүһӏԁԛԝьЗзՅ"),
    "GREEK": frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹϿαιϲϳκνορτυχγ"),
    "ARMENIAN": frozenset("ՕՍՏԼՅօսհոզցռւգ"),
}
# Latin letters outside the everyday blocks, and words in the names of everyday-block letters,
# that mark a letter passing for another one (small capitals, dotless i, clicks...).
_LATIN_EXTRA = frozenset({0x0254, 0x0259, 0x025B})  # open o, schwa, open e (Ghanaian, Azeri)
_ODD_LATIN_WORDS = frozenset({
    "DOTLESS", "CLICK", "TURNED", "REVERSED", "INVERTED", "GLOTTAL", "TONE",
    "ALPHA", "IOTA", "UPSILON", "GAMMA", "OMEGA", "KRA", "YOGH", "WYNN", "INSULAR", "BARRED",
    "STRETCHED", "SCRIPT", "EZH", "ESH", "LONG",
})


def display_name(value: str) -> str:
    """``value`` in NFKC with invisible characters removed and white space squeezed."""
    return " ".join(_visible(unicodedata.normalize("NFKC", value)).split())


def _visible(text: str) -> str:
    return "".join(
        " " if char.isspace() else char for char in text
        if char.isspace() or (unicodedata.category(char)[0] != "C" and ord(char) not in INVISIBLE)
    )


def _is_word_char(char: str) -> bool:
    """A letter or digit that belongs to a word (modifier letters such as ``ʼ`` do not)."""
    return char.isalnum() and not unicodedata.name(char, "").startswith("MODIFIER")


def _words(text: str) -> list[str]:
    """The words of ``text`` after NFKD, without combining marks, case folded."""
    plain = "".join(char for char in unicodedata.normalize("NFKD", display_name(text))
                    if not unicodedata.combining(char))
    found, word = [], []
    for char in plain.casefold():
        if _is_word_char(char):
            word.append(char)
        elif word:
            found.append("".join(word))
            word = []
    if word:
        found.append("".join(word))
    return found


# Titles and degrees before or after a name: "Dr. A. Jansen" is A. Jansen.
_TITLES = frozenset({"dr", "drs", "ir", "prof", "dhr", "mevr", "mw", "mr", "ds", "msc", "phd"})


def _name_words(value: str) -> list[str]:
    """The words of a name without titles and without what stands in brackets ("(HR)")."""
    return [word for word in _words(re.sub(r"\([^)]*\)", " ", display_name(value)))
            if word not in _TITLES]


def person_key(value: str) -> str:
    """What tells two people apart: the words of the name (NFKC/NFKD, invisible characters
    and combining marks dropped, case folded, cut at every character that is not a letter or
    digit; titles and bracketed notes left out), sorted and joined. ``"A. Jansen"``,
    ``"a.jansen"``, ``"Jansen, A."``, ``"Dr. A. Jansen"``, ``"A. Jansen (HR)"`` and
    ``"A Jansén"`` all give ``"ajansen"``. See also :func:`spelling_key`."""
    return "".join(sorted(_name_words(value)))


def spelling_key(value: str) -> str:
    """The name's letters in order, with nothing between them: ``"O'Brien"`` and
    ``"OBrien"``, ``"van der Berg"`` and ``"vanderBerg"`` give one key. Two names are one
    person when their :func:`person_key` or their spelling key is the same."""
    return "".join(_name_words(value))


def same_name(first: str, second: str) -> bool:
    """Whether two names name one person (by :func:`person_key` or :func:`spelling_key`)."""
    return person_key(first) == person_key(second) or \
        spelling_key(first) == spelling_key(second)


def same_person(name: str, account: str) -> bool:
    """Whether the person ``name`` is the holder of ``account`` (an actor: a name, or an
    e-mail address whose local part names its holder, ``a.jansen@zuiderveen.nl``)."""
    accounts = [account, account.rsplit("@", 1)[0]] if "@" in account else [account]
    return any(person_key(held) and same_name(name, held) for held in accounts)


def _script(char: str) -> str:
    first = unicodedata.name(char, "?").split(" ")[0]
    return "HAN" if first in _HAN else first


def _odd_latin(char: str) -> bool:
    """A Latin letter that passes for another one (small capital, dotless i, click...)."""
    code = ord(char)
    if code in _LATIN_EXTRA:
        return False
    everyday = 0x41 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF
    name = unicodedata.name(char, "")
    words = set(name.split(" "))
    return not everyday or name.startswith("LATIN LETTER ") or bool(words & _ODD_LATIN_WORDS)


def lookalike_problem(value: str) -> str | None:
    """Why ``value`` (a name as typed) uses letters that look like other ones, or ``None``."""
    typed = _visible(value)
    for char in typed:
        if unicodedata.decomposition(char).startswith(_DISGUISED_FORMS) and \
                any(c.isalnum() for c in unicodedata.normalize("NFKC", char)):
            return (f"{char!r} is a fullwidth, mathematical, circled or superscript form that "
                    "only looks like an ordinary letter")
    letters = [char for char in unicodedata.normalize("NFKC", typed)
               if char.isalpha() and not unicodedata.name(char, "").startswith("MODIFIER")]
    scripts = sorted({_script(char) for char in letters})
    if len(scripts) > 1:
        return f"it mixes letters of the {' and '.join(s.title() for s in scripts)} scripts"
    if not scripts:
        return None
    script = scripts[0]
    if script not in _SCRIPTS:
        return (f"the {script.title()} script has letters made to look like Latin ones "
                "(names are accepted in Latin, Greek, Cyrillic, Arabic, Hebrew, Han and "
                "other everyday scripts)")
    if script == "LATIN":
        odd = [char for char in letters if _odd_latin(char)]
        if odd:
            return (f"{odd[0]!r} ({unicodedata.name(odd[0], '?').title()}) passes for "
                    "another letter")
    lookalikes = _LATIN_LOOKALIKES.get(script)
    if lookalikes is not None and all(char in lookalikes for char in letters):
        return f"every letter is a {script.title()} letter that looks like a Latin one"
    return None


def _camel_parts(text: str) -> str:
    """``text`` cut at lower-to-upper case changes and digits ("ReviewBot" -> Review, Bot)."""
    spaced = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", text)
    spaced = re.sub(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])", " ", spaced)
    return spaced


def placeholder_word(value: str) -> str | None:
    """The word that makes ``value`` a placeholder rather than a person's name, or ``None``.

    A name is a placeholder when one of its words (also inside camel case, digits dropped or
    read as the letters they stand for) names a machine, a system or an administrator
    account (``"ChatGPT"``, ``"HRbot"``, ``"Admin1"``, ``"Adm1n"``, ``"Systeem"``,
    ``"Beheerder"``), or when all its words are empty ones
    (``"Onbekend"``, ``"Test Gebruiker"``, ``"De Reviewer"``) or initials.
    """
    words = [word for word in _words(_camel_parts(display_name(value)))
             if not word.isdigit()]
    letters_only = ["".join(ch for ch in word if not ch.isdigit()) for word in words]
    joined = "".join(letters_only)
    shown = display_name(value)
    acronym = next((word for word in re.split(r"[\s,;/()-]+", shown)
                    if word.strip(".") and word in _MACHINE_ACRONYMS), None)
    if acronym is not None or joined in _MACHINE_WORDS:
        return acronym or joined
    spelled = [word.translate(_DIGIT_LETTERS)
               for word in _words(re.sub(r"(?<=[^\W_])(?=[A-Z])", " ", shown))]
    for word in [*letters_only, *_words(shown), *spelled]:
        if word in _MACHINE_WORDS or (word.endswith("bot") and word not in _BOT_SURNAMES):
            return word
        for part in _MACHINE_PARTS:
            if part in word:
                return part
    if joined in _EMPTY_WORDS:
        return joined
    if letters_only and all(word in _EMPTY_WORDS or len(word) < 2 for word in letters_only):
        return " ".join(letters_only)
    return None


def _letters(text: str) -> int:
    return sum(1 for char in text if unicodedata.category(char).startswith("L"))


def reviewer_name(value: object, role: str, automated_actor: str) -> str:
    """The display form of a reviewer's name; raise when it cannot name a person.

    Raises:
        OversightError: not a string, fewer than two letters, look-alike letters, a
            placeholder such as ``"system"``, or the workspace's automated actor.
    """
    shown = display_name(value) if isinstance(value, str) else ""
    if isinstance(value, str):  # the identity rule's limits (skilltwin/_identity.py)
        hidden = next((c for c in value if unicodedata.category(c) == "Cc" and not c.isspace()),
                      None)
        if hidden is not None or len(shown) > ID_MAX_LENGTH:
            fault = (f"holds the control character U+{ord(hidden):04X}" if hidden is not None
                     else f"is longer than {ID_MAX_LENGTH} characters")
            raise OversightError(f"the {role}'s name {fault}; give the name as plain text.")
    if _letters(shown) < 2 or not isinstance(value, str):
        raise OversightError(
            f"the {role} must be a named human reviewer (a name with at least two letters), "
            f"not {value!r}; pass the name of the person who decides."
        )
    symbol = next((c for c in shown if unicodedata.category(c).startswith("S")
                   and c not in "'’`´"), None)
    if symbol is not None:
        raise OversightError(
            f"{shown!r} holds the symbol {symbol!r} (U+{ord(symbol):04X}); the {role} must be "
            "named in letters, as the person's name is written."
        )
    problem = lookalike_problem(value)
    if problem is not None:
        raise OversightError(
            f"{shown!r} has letters that look alike but are not the ones they seem: "
            f"{problem}; type the {role}'s name in one alphabet with ordinary letters."
        )
    if placeholder_word(shown) is not None:
        raise OversightError(
            f"{shown!r} is not a person's name; the {role} must be a named human reviewer."
        )
    if same_person(shown, automated_actor):
        raise OversightError(
            f"{shown!r} is the workspace's automated actor; the {role} must be a named human "
            "reviewer other than the account that ran the automated steps."
        )
    return shown


def reason_text(value: object) -> str:
    """The display form of an override reason; raise when it says nothing (no letters)."""
    shown = display_name(value) if isinstance(value, str) else ""
    if not _letters(shown):
        raise OversightError(
            f"an override needs a reason in words, not {value!r}; say why the automated value "
            "is wrong."
        )
    return shown
