// Builds src/modules/auth/common-passwords.json: the passwords registration refuses.
// No network: well-known entries of public breach top lists, expanded with the suffixes,
// substitutions and keyboard walks people actually use. Only entries of 8..128 characters are
// kept, since shorter ones are refused by length anyway. Run: npx tsx scripts/generate-common-passwords.ts
import { writeFile } from 'node:fs/promises'
import { readCommandLine } from '../src/cli/command-line.js'

readCommandLine({}, `Usage: npx tsx scripts/generate-common-passwords.ts [--help]

Rewrites src/modules/auth/common-passwords.json, the list of passwords registration refuses, from
the word lists in this script (no network). Deterministic: the same script writes the same file.`)

const BASE = `
password passw0rd p@ssword p@ssw0rd pass pwd secret letmein welcome welcome1 admin administrator
root toor login master hello monkey dragon shadow sunshine princess football baseball basketball
soccer hockey jordan michael superman batman spiderman starwars iloveyou trustno1 whatever freedom
qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm azerty qwertz abc abcd abcdef abcdefg abcdefgh
abc123 123abc 1q2w3e 1q2w3e4r 1q2w3e4r5t q1w2e3r4 qazwsx 1qaz2wsx zaq12wsx qwe123 asd123 zxc123
charlie donald mustang access flower buster thomas tigger robert killer hunter ranger harley
andrew daniel jessica jennifer ashley nicole michelle amanda joshua matthew anthony william
computer internet google facebook linkedin twitter instagram youtube amazon microsoft apple
samsung nintendo pokemon minecraft fortnite roblox cheese cookie chocolate banana orange
summer winter autumn spring monday friday london paris berlin madrid mexico america canada
loveme lovely love lover iloveu babygirl baby angel angels butterfly jesus christ heaven
blessed family friends friend forever happy smile lucky money secret123 security
changeme default guest user test tester testing demo sample temp temporary manager office
company business service support server database oracle mysql postgres system network
campaign analytics dashboard marketing
hola amor mexico1 contrasena contraseña clave teamo tequiero futbol america chivas pumas
guadalajara monterrey cdmx bonita princesa corazon estrella mariposa
maggie ginger pepper buddy bailey max charlie lucky rocky sophie molly daisy chloe
matrix merlin phoenix silver golden diamond crystal purple yellow blue green red black white
cowboy eagle eagles falcon tiger tigers lion lions wolf bear bears shark dolphin
ferrari porsche mercedes corvette mustang1 yamaha harley1 ducati
starwars1 jedi yoda skywalker vader hogwarts gandalf frodo zelda mario
iloveyou1 princess1 sunshine1 football1 baseball1 monkey1 dragon1 shadow1 master1
qwerty1 password1 letmein1 welcome123 admin123 root123 test123 user123 guest123
`.split(/\s+/).filter(Boolean)

const WHOLE = `
12345678 123456789 1234567890 0123456789 87654321 987654321 9876543210 11111111 22222222
33333333 44444444 55555555 66666666 77777777 88888888 99999999 00000000 12121212 11223344
12341234 11112222 13579246 24682468 10203040 01234567 1234qwer qwer1234 asdf1234 zxcv1234
1qazxsw2 qazwsxedc qweasdzxc 1q2w3e4r5t6y q1w2e3r4t5y6 zaq1xsw2 !qaz2wsx 1qaz@wsx
qwertyui qwertyuiop asdfghjk asdfghjkl zxcvbnm1 qwerty123 qwerty12 qwertyu1 azertyui
password123 password12 password1! p@ssw0rd1 passw0rd1 letmein123 iloveyou2 trustno1!
abcd1234 abc12345 abcdefgh abcdefg1 aa123456 a1234567 a12345678 1a2b3c4d a1b2c3d4 aaaaaaaa
qqqqqqqq zzzzzzzz xxxxxxxx abcabcabc 123123123 12344321 147258369 159753456 741852963
789456123 123654789 147852369 963852741 qweasd123 q1w2e3r4 1q2w3e4r zaq12wsx
`.split(/\s+/).filter(Boolean)

const SUFFIXES = ['', '1', '12', '123', '1234', '12345', '123456', '!', '1!', '123!', '01', '007', '69', '99', '00', '11', '13', '21', '22', '23', '77', '88', '321', '2000', '@123', '#1', '.', '*']
const YEARS = ['1990', '1999', '2000', '2010', '2020', '2021', '2022', '2023', '2024', '2025', '2026']
const SUBSTITUTIONS: Array<[RegExp, string]> = [[/a/g, '@'], [/o/g, '0'], [/e/g, '3'], [/i/g, '1']]

const out = new Set<string>()
const add = (value: string) => {
  const normalised = value.toLowerCase()
  if (normalised.length >= 8 && normalised.length <= 128) out.add(normalised)
}

for (const word of WHOLE) add(word)
for (const word of BASE) {
  for (const suffix of SUFFIXES) add(word + suffix)
  for (const year of YEARS) add(word + year)
  add(word + word)
  for (const [pattern, replacement] of SUBSTITUTIONS) {
    const changed = word.replace(pattern, replacement)
    if (changed !== word) for (const suffix of ['', '1', '123', '!']) add(changed + suffix)
  }
}
// Runs of one digit and ascending/descending digit sequences of every length the policy allows.
for (let length = 8; length <= 16; length++) {
  for (let d = 0; d <= 9; d++) add(String(d).repeat(length))
  add(Array.from({ length }, (_, i) => String((i + 1) % 10)).join(''))
  add(Array.from({ length }, (_, i) => String(i % 10)).join(''))
}

const list = [...out].sort()
await writeFile(new URL('../src/modules/auth/common-passwords.json', import.meta.url), JSON.stringify(list, null, 0).replace(/","/g, '",\n"') + '\n')
console.log(`${list.length} common passwords written`)
