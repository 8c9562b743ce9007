// Syntax highlighting of DDEX XML for the delivery preview. The tokenizer is lossless (the
// tokens' text joined is the input, whatever the input) so a malformed or truncated message
// still shows every character; the view renders tokens as text in spans, never as HTML.

export type XmlTokenKind =
  | "text" // character data and whitespace
  | "entity" // &amp; &#233;
  | "punct" // < </ > /> = and quotes' surroundings
  | "tag" // element name, prefix included (ern:NewReleaseMessage)
  | "attr" // attribute name (xmlns:ern, LanguageAndScriptCode)
  | "value" // quoted attribute value, quotes included
  | "comment" // <!-- ... -->
  | "cdata" // <![CDATA[ ... ]]>
  | "decl"; // <?xml ... ?>, <!DOCTYPE ...>

export type XmlToken = { kind: XmlTokenKind; text: string };

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;

/** Splits XML text into tokens; joining their text gives back `xml` exactly. */
export function tokenizeXml(xml: string): XmlToken[] {
  const out: XmlToken[] = [];
  const push = (kind: XmlTokenKind, text: string) => {
    if (text === "") return;
    const last = out[out.length - 1];
    // Adjacent text merges so a run of plain characters is one span.
    if (kind === "text" && last?.kind === "text") last.text += text;
    else out.push({ kind, text });
  };
  // Up to and including `end`, or to the end of the input when it never comes.
  const until = (from: number, end: string) => {
    const at = xml.indexOf(end, from);
    return at < 0 ? xml.length : at + end.length;
  };
  const nameEnd = (from: number) => {
    let i = from;
    while (i < xml.length && NAME_CHAR.test(xml.charAt(i))) i++;
    return i;
  };

  let i = 0;
  while (i < xml.length) {
    const c = xml.charAt(i);
    if (c === "&") {
      const m = /^&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_][\w.-]*);/.exec(xml.slice(i, i + 40));
      if (m) {
        push("entity", m[0]);
        i += m[0].length;
      } else {
        push("text", c);
        i += 1;
      }
      continue;
    }
    if (c !== "<") {
      let j = i;
      while (j < xml.length && xml.charAt(j) !== "<" && xml.charAt(j) !== "&") j++;
      push("text", xml.slice(i, j));
      i = j;
      continue;
    }
    if (xml.startsWith("<!--", i)) {
      const j = until(i + 4, "-->");
      push("comment", xml.slice(i, j));
      i = j;
      continue;
    }
    if (xml.startsWith("<![CDATA[", i)) {
      const j = until(i + 9, "]]>");
      push("cdata", xml.slice(i, j));
      i = j;
      continue;
    }
    if (xml.startsWith("<?", i)) {
      const j = until(i + 2, "?>");
      push("decl", xml.slice(i, j));
      i = j;
      continue;
    }
    if (xml.startsWith("<!", i)) {
      const j = until(i + 2, ">");
      push("decl", xml.slice(i, j));
      i = j;
      continue;
    }
    const open = xml.startsWith("</", i) ? "</" : "<";
    const nameStart = i + open.length;
    if (!NAME_START.test(xml.charAt(nameStart))) {
      // A lone "<" (malformed): shown as it is.
      push("text", c);
      i += 1;
      continue;
    }
    push("punct", open);
    const nameStop = nameEnd(nameStart);
    push("tag", xml.slice(nameStart, nameStop));
    i = tagBody(xml, nameStop, push, nameEnd);
  }
  return out;
}

/** Attributes up to and including the tag's closing `>` or `/>`; returns where it stopped. */
function tagBody(
  xml: string,
  from: number,
  push: (kind: XmlTokenKind, text: string) => void,
  nameEnd: (from: number) => number,
): number {
  let i = from;
  while (i < xml.length) {
    const c = xml.charAt(i);
    if (c === ">") {
      push("punct", ">");
      return i + 1;
    }
    if (c === "/" && xml.charAt(i + 1) === ">") {
      push("punct", "/>");
      return i + 2;
    }
    if (/\s/.test(c)) {
      let j = i;
      while (j < xml.length && /\s/.test(xml.charAt(j))) j++;
      push("text", xml.slice(i, j));
      i = j;
      continue;
    }
    if (c === "=") {
      push("punct", "=");
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = xml.indexOf(c, i + 1);
      const j = close < 0 ? xml.length : close + 1;
      push("value", xml.slice(i, j));
      i = j;
      continue;
    }
    if (c === "<") return i; // an unclosed tag: the next markup starts here
    if (NAME_START.test(c)) {
      const j = nameEnd(i);
      push("attr", xml.slice(i, j));
      i = j;
      continue;
    }
    push("text", c);
    i += 1;
  }
  return i;
}

/** Tokens cut at line breaks: one array per line, the breaks themselves dropped. */
export function tokenLines(tokens: readonly XmlToken[]): XmlToken[][] {
  const lines: XmlToken[][] = [[]];
  for (const token of tokens) {
    const parts = token.text.split("\n");
    parts.forEach((part, n) => {
      if (n > 0) lines.push([]);
      const text = part.endsWith("\r") ? part.slice(0, -1) : part;
      if (text !== "") lines[lines.length - 1]?.push({ kind: token.kind, text });
    });
  }
  return lines;
}

/**
 * The highlighted lines of a message, for views that show lines out of context (a diff). The
 * whole text is tokenized before it is cut, so a line inside a multi-line comment, CDATA
 * section or tag is coloured as what it is.
 */
export function highlightLines(xml: string): XmlToken[][] {
  return tokenLines(tokenizeXml(xml));
}
