// The README's fenced blocks that tests run as they are: each is marked by an HTML comment that
// names the test, so the README and the test cannot drift apart.
import * as fs from "node:fs";
import * as path from "node:path";

const README = path.resolve(__dirname, "../../README.md");

/** The fenced blocks (language and body) that follow the marker comment naming `testFile`. */
export function readmeBlocks(testFile: string): { lang: string; body: string }[] {
  const text = fs.readFileSync(README, "utf8");
  const marker = text.indexOf(`<!-- ${testFile} `);
  if (marker < 0) throw new Error(`README.md has no <!-- ${testFile} ... --> marker`);
  const fences = /^```(\w*)\n([\s\S]*?)^```$/gm;
  fences.lastIndex = marker;
  const blocks: { lang: string; body: string }[] = [];
  for (let m = fences.exec(text); m; m = fences.exec(text)) {
    blocks.push({ lang: m[1] ?? "", body: m[2] ?? "" });
  }
  return blocks;
}

/** The first block of `lang` after the marker naming `testFile`. */
export function readmeBlock(testFile: string, lang: string): string {
  const block = readmeBlocks(testFile).find((b) => b.lang === lang);
  if (!block) throw new Error(`README.md has no ${lang} block after the ${testFile} marker`);
  return block.body;
}
