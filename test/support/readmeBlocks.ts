// The fenced blocks of the README (and of pages under docs/) that tests run as they are: each is
// marked by an HTML comment that names the test, so the page and the test cannot drift apart.
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

/**
 * The fenced blocks (language and body) that follow the marker comment naming `testFile` in `page`
 * (a path from the repository root: the README unless told).
 */
export function readmeBlocks(testFile: string, page = "README.md"): { lang: string; body: string }[] {
  const text = fs.readFileSync(path.join(REPO, page), "utf8");
  const marker = text.indexOf(`<!-- ${testFile} `);
  if (marker < 0) throw new Error(`${page} has no <!-- ${testFile} ... --> marker`);
  const fences = /^```(\w*)\n([\s\S]*?)^```$/gm;
  fences.lastIndex = marker;
  const blocks: { lang: string; body: string }[] = [];
  for (let m = fences.exec(text); m; m = fences.exec(text)) {
    blocks.push({ lang: m[1] ?? "", body: m[2] ?? "" });
  }
  return blocks;
}

/** The first block of `lang` after the marker naming `testFile` in `page` (the README unless told). */
export function readmeBlock(testFile: string, lang: string, page = "README.md"): string {
  const block = readmeBlocks(testFile, page).find((b) => b.lang === lang);
  if (!block) throw new Error(`${page} has no ${lang} block after the ${testFile} marker`);
  return block.body;
}
