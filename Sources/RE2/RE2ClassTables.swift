/// The named classes Go's `regexp/syntax` (Go 1.19, Unicode 13.0) accepts, with their ASCII definitions.
package enum RE2ClassTables {
    /// Perl classes `\d \s \w` (ASCII only in RE2, unlike ICU's Unicode versions).
    package static func perlClass(_ letter: Unicode.Scalar) -> (ranges: [ClosedRange<UInt32>], negated: Bool)? {
        switch letter {
        case "d": return (digit, false)
        case "D": return (digit, true)
        case "s": return (perlSpace, false)
        case "S": return (perlSpace, true)
        case "w": return (word, false)
        case "W": return (word, true)
        default: return nil
        }
    }

    /// POSIX classes inside brackets, `[:alpha:]` (ASCII only in RE2).
    package static func posixClass(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": return [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": return [0x41...0x5A, 0x61...0x7A]
        case "ascii": return [0x00...0x7F]
        case "blank": return [0x09...0x09, 0x20...0x20]
        case "cntrl": return [0x00...0x1F, 0x7F...0x7F]
        case "digit": return digit
        case "graph": return [0x21...0x7E]
        case "lower": return [0x61...0x7A]
        case "print": return [0x20...0x7E]
        case "punct": return [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": return [0x09...0x0D, 0x20...0x20]
        case "upper": return [0x41...0x5A]
        case "word": return word
        case "xdigit": return [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: return nil
        }
    }

    /// Resolves a `\p{name}` name the way Go's `unicodeTable` does: `Any`, then categories, then scripts.
    package static func unicodeGroup(_ name: String) -> UnicodeGroup.Kind? {
        if name == "Any" { return .any }
        if categories.contains(name) { return .category(name) }
        if scripts.contains(name) { return .script(name) }
        return nil
    }

    package static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    package static let perlSpace: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    package static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// Go's `unicode.Categories` keys (no `Cn`, `LC` or long names).
    package static let categories: Set<String> = [
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl",
        "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
    ]

    /// Go 1.19's `unicode.Scripts` keys (Unicode 13.0).
    package static let scripts: Set<String> = [
        "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum",
        "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid",
        "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian", "Common",
        "Coptic", "Cuneiform", "Cypriot", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
        "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha",
        "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran",
        "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian",
        "Javanese", "Kaithi", "Kannada", "Katakana", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer",
        "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian",
        "Lydian", "Mahajani", "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi",
        "Medefaidrin", "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi",
        "Mongolian", "Mro", "Multani", "Myanmar", "Nabataean", "Nandinagari", "New_Tai_Lue", "Newa", "Nko",
        "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic", "Old_North_Arabian",
        "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Oriya", "Osage", "Osmanya",
        "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic",
        "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian",
        "Sora_Sompeng", "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le",
        "Tai_Tham", "Tai_Viet", "Takri", "Tamil", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh",
        "Tirhuta", "Ugaritic", "Vai", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
    ]
}
