//! Course modules are written in Markdown and shown as HTML: rendered with CommonMark
//! (tables, strike-through) and then sanitised with an allow-list, so a module can carry no
//! script, event handler, style or link to anything but the web and e-mail.

use pulldown_cmark::{Options, Parser, html};
use std::collections::HashSet;

/// Safe HTML for a module's Markdown.
#[must_use]
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html =
            render("# Signs\n\n- *deception*\n- **debt**\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<h1>Signs</h1>"), "{html}");
        assert!(html.contains("<em>deception</em>"), "{html}");
        assert!(html.contains("<strong>debt</strong>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_script_links_are_removed() {
        let html = render(
            "Hello <script>alert(1)</script>\n\n<img src=\"https://x.example/a.png\" \
             onerror=\"alert(2)\">\n\n<a href=\"#\" onclick=\"alert(3)\">x</a>\n\n\
             [click](javascript:alert(4)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n\
             <iframe src=\"https://evil.example\"></iframe><p style=\"color:red\">s</p>",
        );
        for bad in [
            "<script",
            "alert(1)",
            "onerror",
            "onclick",
            "javascript:",
            "data:",
            "<iframe",
            "style=",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("https://x.example/a.png"), "{html}");
        assert!(
            html.contains(">click</a>") || html.contains("click"),
            "{html}"
        );
    }

    #[test]
    fn links_to_the_web_stay_and_open_safely() {
        let html = render("[guide](https://example.org/guide)");
        assert!(
            html.contains("href=\"https://example.org/guide\""),
            "{html}"
        );
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
