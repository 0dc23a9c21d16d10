/// Just enough of a JavaScript/TypeScript lexer to tell code from comments and strings, so the
/// source rule matches `socket.on('trainerLocation', …)` in code and not in a comment that
/// mentions it or in a string that merely contains it.
///
/// The output keeps every character's line: comments become spaces, and each string or template
/// literal becomes a placeholder `§n§` whose text is kept in `literals[n]`.
struct JSLexer {
    struct Result {
        var code: String
        var literals: [String]
    }

    static func mask(_ source: String) -> Result {
        var code = ""
        var literals: [String] = []
        let chars = Array(source)
        var i = 0
        func placeholder(_ text: String) {
            code += "§\(literals.count)§"
            literals.append(text)
        }
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "/", next == "/" {
                while i < chars.count, chars[i] != "\n" { code += " "; i += 1 }
            } else if c == "/", next == "*" {
                code += "  "; i += 2
                while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") {
                    code += chars[i] == "\n" ? "\n" : " "; i += 1
                }
                if i < chars.count { code += "  "; i += 2 }
            } else if c == "'" || c == "\"" || c == "`" {
                var text = ""
                var newlines = 0
                i += 1
                var depth = 0
                while i < chars.count {
                    let d = chars[i]
                    if d == "\\", i + 1 < chars.count { text.append(d); text.append(chars[i + 1]); i += 2; continue }
                    if c == "`", d == "$", i + 1 < chars.count, chars[i + 1] == "{" { depth += 1 }
                    if c == "`", d == "}", depth > 0 { depth -= 1 }
                    if d == c, depth == 0 { i += 1; break }
                    if d == "\n" {
                        newlines += 1
                        if c != "`" { break } // an unterminated quote ends at the line
                    }
                    text.append(d); i += 1
                }
                placeholder(text)
                code += String(repeating: "\n", count: newlines)
            } else {
                code.append(c); i += 1
            }
        }
        return Result(code: code, literals: literals)
    }
}
