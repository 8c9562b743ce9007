import { describe, expect, it } from "vitest";
import { highlightLines, tokenizeXml, type XmlToken } from "./xmlHighlight";

const joined = (tokens: readonly XmlToken[]) => tokens.map((t) => t.text).join("");
const kinds = (tokens: readonly XmlToken[]) => tokens.map((t) => `${t.kind}:${t.text}`);

describe("tokenizeXml", () => {
  it("names the parts of elements, attributes and values", () => {
    const tokens = tokenizeXml('<ern:Title LanguageAndScriptCode="en">Blue &amp; Gold</ern:Title>');
    expect(kinds(tokens)).toEqual([
      "punct:<",
      "tag:ern:Title",
      "text: ",
      "attr:LanguageAndScriptCode",
      "punct:=",
      'value:"en"',
      "punct:>",
      "text:Blue ",
      "entity:&amp;",
      "text: Gold",
      "punct:</",
      "tag:ern:Title",
      "punct:>",
    ]);
  });

  it("keeps declarations, comments, CDATA and self-closing tags whole", () => {
    const xml = "<?xml version=\"1.0\"?>\n<!-- note -->\n<A><![CDATA[<not a tag>]]><B x='1'/></A>";
    const tokens = tokenizeXml(xml);
    expect(tokens[0]).toEqual({ kind: "decl", text: '<?xml version="1.0"?>' });
    expect(tokens).toContainEqual({ kind: "comment", text: "<!-- note -->" });
    expect(tokens).toContainEqual({ kind: "cdata", text: "<![CDATA[<not a tag>]]>" });
    expect(tokens).toContainEqual({ kind: "value", text: "'1'" });
    expect(tokens).toContainEqual({ kind: "punct", text: "/>" });
    expect(tokens.filter((t) => t.kind === "tag").map((t) => t.text)).toEqual(["A", "B", "A"]);
  });

  it("shows markup-looking text in values and text as text, never as tags", () => {
    const tokens = tokenizeXml('<T a="<b>">1 < 2 &unknown</T>');
    expect(tokens).toContainEqual({ kind: "value", text: '"<b>"' });
    expect(tokens.filter((t) => t.kind === "tag").map((t) => t.text)).toEqual(["T", "T"]);
    expect(joined(tokens)).toBe('<T a="<b>">1 < 2 &unknown</T>');
  });

  it("loses no character of malformed or truncated input", () => {
    const samples = [
      "",
      "<",
      "<A",
      '<A b="unterminated',
      "<!-- never closed",
      "<![CDATA[ open",
      "<?pi",
      "text & more &#x41; &#65;",
      "<A><B></A",
      "<A =junk ?? />",
      "<\n/>",
      "<A\r\n  b='1'\r\n>é</A>",
    ];
    for (const s of samples) expect(joined(tokenizeXml(s)), s).toBe(s);
  });

  it("loses no character of random input", () => {
    const alphabet = ['<', '>', '/', '"', "'", "=", "&", ";", "!", "-", "?", "[", "]", "a", "B", ":", " ", "\n", "#", "x"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 300; n++) {
      let s = "";
      const length = next() % 40;
      for (let i = 0; i < length; i++) s += alphabet[next() % alphabet.length] ?? "";
      expect(joined(tokenizeXml(s)), JSON.stringify(s)).toBe(s);
    }
  });
});

describe("highlightLines", () => {
  it("cuts tokens at line breaks and keeps multi-line comments coloured on every line", () => {
    const lines = highlightLines("<A>\n<!-- one\ntwo -->\n</A>\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toEqual([{ kind: "comment", text: "<!-- one" }]);
    expect(lines[2]).toEqual([{ kind: "comment", text: "two -->" }]);
    expect(lines[4]).toEqual([]);
  });

  it("keeps attributes of a tag spread over lines as attributes", () => {
    const lines = highlightLines('<A\r\n  x="1"\r\n  y="2">');
    expect(lines[1]).toEqual([
      { kind: "text", text: "  " },
      { kind: "attr", text: "x" },
      { kind: "punct", text: "=" },
      { kind: "value", text: '"1"' },
    ]);
    expect(lines[2]?.at(-1)).toEqual({ kind: "punct", text: ">" });
  });
});
