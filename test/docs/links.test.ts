import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { ROOT } from '../support/database.js'

// Every relative link in README.md and docs/ leads to a file of the repository, and a #fragment to
// one of its headings (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens).

const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')

function headings (file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1].replace(/`/g, ''))))
}

const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

t.test('every relative link in README.md and docs/ resolves', async (t) => {
  let links = 0
  for (const page of pages) {
    const text = readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue
      links++
      const [file, fragment] = target.split('#')
      const resolved = file ? path.normalize(path.join(path.dirname(page), file)) : page
      t.ok(existsSync(path.join(ROOT, resolved)), `${page}: ${target} exists`)
      if (fragment) t.ok(headings(path.join(ROOT, resolved)).has(fragment), `${page}: ${target} names a heading of ${resolved}`)
    }
  }
  t.ok(links > 10, `${links} relative links checked`)
})

t.test('README is a landing page', async (t) => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  t.ok(readme.split('\n').length <= 160, 'about 150 lines at most')
  t.match(readme.split('\n').slice(0, 12).join('\n'), /npm install && npm start/, 'the start command on the first screen')
  t.notMatch(readme, /\b[0-9a-f]{7,40}\b(?=`)/, 'no commit hashes')
})
