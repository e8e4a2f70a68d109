/** How many times `needle` occurs in a string or a buffer (line feeds in bytes, commas in a line). */
export function occurrences (haystack: { indexOf: (needle: string, from: number) => number }, needle: string): number {
  let count = 0
  for (let at = haystack.indexOf(needle, 0); at !== -1; at = haystack.indexOf(needle, at + 1)) count++
  return count
}
