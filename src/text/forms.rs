//! Word forms a suffix stemmer cannot fold: irregular verbs (`took` → `take`) and irregular
//! plurals (`vertices` → `vertex`). Applied before stemming so that "the rows were written" and
//! "writes the rows" meet on one stem. Comparatives stay apart from their base (the grader
//! matches them with less credit, see `grade::matching`).
//!
//! Forms that are also common words of their own in engineering text stay out: `left` (a left
//! child), `bound` (an upper bound), `bit`, `found`, `saw`, `ground`, `wound`, `lay`, `spoke`
//! (hub and spoke), and `leaves` and `lives` (it leaves the lock held, data lives on disk).

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Irregular verbs: base form, then its past and participle forms that differ from it.
const VERBS: &[(&str, &[&str])] = &[
    ("arise", &["arose", "arisen"]),
    ("awake", &["awoke", "awoken"]),
    ("become", &["became"]),
    ("begin", &["began", "begun"]),
    ("bend", &["bent"]),
    ("bite", &["bitten"]),
    ("bleed", &["bled"]),
    ("blow", &["blew", "blown"]),
    ("break", &["broke", "broken"]),
    ("breed", &["bred"]),
    ("bring", &["brought"]),
    ("build", &["built"]),
    ("burn", &["burnt"]),
    ("buy", &["bought"]),
    ("catch", &["caught"]),
    ("choose", &["chose", "chosen"]),
    ("cling", &["clung"]),
    ("come", &["came"]),
    ("creep", &["crept"]),
    ("deal", &["dealt"]),
    ("dig", &["dug"]),
    ("draw", &["drew", "drawn"]),
    ("dream", &["dreamt"]),
    ("drink", &["drank", "drunk"]),
    ("drive", &["drove", "driven"]),
    ("eat", &["ate", "eaten"]),
    ("fall", &["fell", "fallen"]),
    ("feed", &["fed"]),
    ("feel", &["felt"]),
    ("fight", &["fought"]),
    ("flee", &["fled"]),
    ("fling", &["flung"]),
    ("fly", &["flew", "flown"]),
    ("forbid", &["forbade", "forbidden"]),
    ("foresee", &["foresaw", "foreseen"]),
    ("forget", &["forgot", "forgotten"]),
    ("forgive", &["forgave", "forgiven"]),
    ("freeze", &["froze", "frozen"]),
    ("get", &["got", "gotten"]),
    ("give", &["gave", "given"]),
    ("go", &["went", "gone"]),
    ("grow", &["grew", "grown"]),
    ("hang", &["hung"]),
    ("hide", &["hid", "hidden"]),
    ("hold", &["held"]),
    ("keep", &["kept"]),
    ("know", &["knew", "known"]),
    ("lead", &["led"]),
    ("leap", &["leapt"]),
    ("learn", &["learnt"]),
    ("lend", &["lent"]),
    ("lie", &["lain"]),
    ("lose", &["lost"]),
    ("make", &["made"]),
    ("mean", &["meant"]),
    ("meet", &["met"]),
    ("mislead", &["misled"]),
    ("mistake", &["mistook", "mistaken"]),
    ("oversee", &["oversaw", "overseen"]),
    ("overcome", &["overcame"]),
    ("overtake", &["overtook", "overtaken"]),
    ("pay", &["paid"]),
    ("rebuild", &["rebuilt"]),
    ("rewrite", &["rewrote", "rewritten"]),
    ("ride", &["rode", "ridden"]),
    ("ring", &["rang", "rung"]),
    ("rise", &["risen"]),
    ("run", &["ran"]),
    ("say", &["said"]),
    ("seek", &["sought"]),
    ("see", &["seen"]),
    ("sell", &["sold"]),
    ("send", &["sent"]),
    ("shake", &["shook", "shaken"]),
    ("shine", &["shone"]),
    ("shoot", &["shot"]),
    ("show", &["shown"]),
    ("shrink", &["shrank", "shrunk"]),
    ("sing", &["sang", "sung"]),
    ("sink", &["sank", "sunk"]),
    ("sleep", &["slept"]),
    ("slide", &["slid"]),
    ("speak", &["spoken"]),
    ("speed", &["sped"]),
    ("spend", &["spent"]),
    ("spin", &["spun"]),
    ("spring", &["sprang", "sprung"]),
    ("stand", &["stood"]),
    ("steal", &["stole", "stolen"]),
    ("stick", &["stuck"]),
    ("sting", &["stung"]),
    ("strike", &["struck", "stricken"]),
    ("strive", &["strove", "striven"]),
    ("swear", &["swore", "sworn"]),
    ("sweep", &["swept"]),
    ("swim", &["swam", "swum"]),
    ("swing", &["swung"]),
    ("take", &["took", "taken"]),
    ("teach", &["taught"]),
    ("tear", &["tore", "torn"]),
    ("tell", &["told"]),
    ("think", &["thought"]),
    ("throw", &["threw", "thrown"]),
    ("undergo", &["underwent", "undergone"]),
    ("understand", &["understood"]),
    ("undertake", &["undertook", "undertaken"]),
    ("uphold", &["upheld"]),
    ("wake", &["woke", "woken"]),
    ("wear", &["wore", "worn"]),
    ("weave", &["wove", "woven"]),
    ("weep", &["wept"]),
    ("win", &["won"]),
    ("withdraw", &["withdrew", "withdrawn"]),
    ("withhold", &["withheld"]),
    ("write", &["wrote", "written"]),
];

/// Irregular plurals: singular, then plural forms.
const PLURALS: &[(&str, &[&str])] = &[
    ("analysis", &["analyses"]),
    ("appendix", &["appendices"]),
    ("axis", &["axes"]),
    ("child", &["children"]),
    ("criterion", &["criteria"]),
    ("foot", &["feet"]),
    ("half", &["halves"]),
    ("hypothesis", &["hypotheses"]),
    ("index", &["indices"]),
    ("knife", &["knives"]),
    ("man", &["men"]),
    ("matrix", &["matrices"]),
    ("mouse", &["mice"]),
    ("phenomenon", &["phenomena"]),
    ("shelf", &["shelves"]),
    ("thesis", &["theses"]),
    ("tooth", &["teeth"]),
    ("vertex", &["vertices"]),
    ("woman", &["women"]),
];

/// The base form of an already-lowercased word when it is an irregular form, else `None`.
pub fn base_form(lower: &str) -> Option<&'static str> {
    table().get(lower).copied()
}

fn table() -> &'static FxHashMap<String, &'static str> {
    static TABLE: OnceLock<FxHashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (base, forms) in VERBS.iter().chain(PLURALS) {
            for form in forms.iter() {
                map.insert(form.to_string(), *base);
            }
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_verbs_and_plurals_fold_to_their_base() {
        assert_eq!(base_form("took"), Some("take"));
        assert_eq!(base_form("written"), Some("write"));
        assert_eq!(base_form("vertices"), Some("vertex"));
        assert_eq!(base_form("take"), None);
    }

    #[test]
    fn words_with_a_meaning_of_their_own_are_left_alone() {
        for word in [
            "left", "bound", "leaves", "lives", "spoke", "larger", "smallest", "water",
        ] {
            assert_eq!(base_form(word), None, "{word}");
        }
    }
}
