/**
 * A deterministic corpus of (query, document) pairs for checking our pair encoding against the
 * Rust `tokenizers` crate (what sentence-transformers runs). All text is written here, no data is
 * downloaded, and a seeded generator mixes it, so every run compares the same pairs.
 * The pools aim at what breaks tokenizers: scripts, accents (precomposed and combining), emoji
 * sequences, invisible and control characters, odd whitespace, long words, special-token text.
 */

export interface FidelityCase {
  /** What the pair exercises, for failure messages. */
  label: string;
  query: string;
  document: string;
}

/** mulberry32: small, fast and the same on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROSE = [
  'The river froze early that winter, so the ferry stayed tied to the north bank until March.',
  'She kept a notebook of every bird she saw from the kitchen window, including the ones she could not name.',
  'Most of the town turned out for the reopening of the library, which had been closed for repairs since the flood.',
  'If you boil the potatoes too long they fall apart, but a little vinegar in the water helps them hold their shape.',
  'The committee postponed its decision again, citing the need for an independent review of the budget figures.',
  'He argued that the bridge was never meant to carry trucks, and the engineers eventually agreed with him.',
  'Our guide pointed out a fox crossing the meadow just before sunset, then led us back along the old rail line.',
  'Nobody remembered who had planted the pear tree, yet it produced more fruit each year than the whole orchard.',
  "It's not that the plan was wrong; it's that nobody checked whether the trains actually ran on Sundays.",
  'Rain is expected across the coast on Thursday, with gusts up to sixty kilometres an hour in exposed places.',
  'The museum’s new wing displays tools, maps and letters from the settlers who first farmed the valley.',
  'To renew a passport, bring two recent photos, the old passport, and proof of your current address.',
  'What causes the northern lights, and why are they brighter some years than others?',
  'Symptoms of dehydration include headache, dizziness, dark urine and feeling unusually tired.',
  'The recipe calls for two cups of flour, one egg, a pinch of salt and enough milk to make a smooth batter.',
  'Unlike most lizards, this species gives birth to live young rather than laying eggs.',
  'After the merger, both companies kept their own brands but shared warehouses and delivery trucks.',
  'A good night’s sleep improves memory, mood and the ability to concentrate the next day.',
  'The treaty was signed in 1648 and ended three decades of war across central Europe.',
  '“Are you sure?” she asked — and then, after a pause… “Fine, let’s go.”',
  'Volcanic soil is rich in minerals, which is why vineyards often thrive on the slopes of old volcanoes.',
  'Please do NOT reply to this e-mail; it was sent from an unmonitored address.',
  'Can I use baking soda instead of baking powder??? asking for a friend!!!',
  'how long does it take for a tattoo to heal',
  'best time of year to visit iceland for hiking',
  'difference between weather and climate',
  'is it safe to eat raw cookie dough',
  'who wrote the first computer program',
];

const TECHNICAL = [
  'Run `npm install --save-dev typescript@5.9` and then `npx tsc --noEmit -p tsconfig.json`.',
  'const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);',
  'SELECT id, name FROM users WHERE created_at >= \'2024-01-01\' ORDER BY name ASC LIMIT 50;',
  'Error: ENOENT: no such file or directory, open \'/var/lib/app/config.yaml\'',
  '    at Object.openSync (node:fs:596:3)\n    at readFileSync (node:fs:464:35)',
  'See https://example.com/docs/v2/getting-started?lang=en&ref=nav#install for details.',
  'Contact support@example.org or call +1 (555) 010-4477 between 9:00 and 17:30 CET.',
  '{"id": 42, "tags": ["alpha", "beta"], "active": true, "score": 0.875, "owner": null}',
  'def fib(n):\n\treturn n if n < 2 else fib(n - 1) + fib(n - 2)',
  'C:\\Program Files\\Example\\bin\\tool.exe --verbose --out=.\\build\\report.html',
  '<div class="card" data-id="7"><p>Hello &amp; welcome</p></div>',
  'The p95 latency dropped from 240ms to 95ms after enabling HTTP/2 and gzip (level 6).',
  'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'Use O(n log n) sorting; the naive O(n^2) approach times out when n > 10^5.',
  'git rebase -i HEAD~3 && git push --force-with-lease origin feature/rerank-cache',
  'E = mc² and a² + b² = c², while ∑ᵢ xᵢ / n gives the mean; ∀x ∈ ℝ, x² ≥ 0.',
  'IPv6 ::1 and 192.168.0.1:8080 are local; 2001:db8::ff00:42:8329 is documentation-only.',
  'Set MAX_RETRIES=5, TIMEOUT_MS=30000 and LOG_LEVEL=debug in the .env file.',
  'pip install "sentence-transformers>=2.7,<3" && python -m pytest -k "cross_encoder and not slow"',
  'rgba(255, 128, 0, 0.5) #ff8000 hsl(30deg 100% 50%)',
];

const NUMBERS = [
  '3.14159 2.71828 1.41421 0.57721 1.61803',
  '$1,299.99 €45,50 £7.20 ¥1200 ₹850 ₩15,000',
  '12/31/1999 2024-02-29T23:59:59Z 07:45 p.m. 1st 2nd 3rd 4th',
  '6.022e23 1e-9 -273.15°C 98.6°F 100% 50‰ ½ ¾ ⅓',
  'Order #A-10045-ZX shipped 3 × 12 boxes (36 units) on 14.03.2023.',
  '0x1F600 0b1011 0o755 1_000_000 999999999999999999999',
  'Route 66, Highway 101, Interstate 5 and the A1(M).',
  'Ⅻ Ⅳ ⅸ ① ② ③ ⑴ ⒜ ¹²³ ₀₁₂',
];

const ACCENTED = [
  'Café au lait in a naïve little café near the Zürich Hauptbahnhof.',
  'Crème brûlée, jalapeño, piñata, façade, déjà vu, résumé, coöperate.',
  'São Paulo, Ångström, Łódź, Dvořák, Kraków, Reykjavík, Malmö, Curaçao.',
  'Combining marks: cafe\u0301, nai\u0308ve, Zu\u0308rich, n\u0303, a\u0300\u0301\u0302\u0303 (stacked).',
  'Tiếng Việt có nhiều dấu: người, nước, đường, Hà Nội, Thành phố Hồ Chí Minh.',
  'Straße, Maß, Fußgängerübergänge, ÆØÅ æøå, Œuvre, İstanbul, ıi, Ğğ Şş.',
  'Ça va? Où est la bibliothèque? Je ne sais pas, peut-être là-bas.',
  'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and ﬁ ﬂ ligatures, ℌ ℍ ℕ, ｶﾀｶﾅ half-width.',
  'Z\u0335\u0316a\u0337\u0325l\u0334\u0353g\u0336\u032fo text: s\u0336t\u0336r\u0336i\u0336k\u0336e\u0336.',
];

const SCRIPTS = [
  // Chinese, Japanese, Korean
  '北京是中国的首都，也是政治和文化中心。长城每年吸引数百万游客。',
  '机器学习模型需要大量数据进行训练，并在测试集上评估其性能。',
  '東京の天気は明日晴れるでしょう。ひらがなとカタカナと漢字を使います。',
  'ラーメンを食べに行きませんか？駅の近くに新しい店ができました。',
  '서울은 대한민국의 수도입니다. 한국어는 한글로 씁니다.',
  '오늘 날씨가 정말 좋네요! 공원에 산책하러 갈까요?',
  // CJK outside the BMP (Extension B-F, compatibility supplement) and CJK punctuation
  '𠀀𠀁𠀂 𪚥 𠮷野家 𩸽 𡈽 𤭢 𬺰 𫝀 \u{2F800}\u{2F81A} 「引用」『書名』【注】〈括弧〉。、',
  // Arabic, Hebrew (with niqqud), Persian
  'اللغة العربية تكتب من اليمين إلى اليسار، ولها ثمانية وعشرون حرفاً.',
  'مَرْحَبًا بِكُمْ فِي الْمَكْتَبَةِ ١٢٣٤٥٦٧٨٩٠',
  'עברית נכתבת מימין לשמאל. שָׁלוֹם עֲלֵיכֶם!',
  'زبان فارسی با الفبای عربی نوشته می‌شود.',
  // Cyrillic, Greek (including capital final sigma), Armenian, Georgian
  'Москва — столица России. Ёжик в тумане, щука и съезд.',
  'Українська мова має літери ї, є, ґ. Беларуская мова: ў.',
  'ΟΔΟΣ ΑΘΗΝΩΝ ΚΑΙ ΠΕΙΡΑΙΩΣ. Η Ελλάδα είναι όμορφη χώρα. ΟΣΟΣ ΣΟΦΟΣ.',
  'Άλφα, Βήτα, Γάμμα — ΐ ΰ ς σ Σ. Ἀθῆναι, ᾠδή.',
  'Հայերենը ունի իր սեփական այբուբենը։ ქართული ენა ძალიან ლამაზია.',
  // Devanagari, Bengali, Tamil, Thai
  'हिन्दी भारत की राजभाषा है। क्षत्रिय, ज्ञान, श्री, द्वार।',
  'বাংলা ভাষা বাংলাদেশের রাষ্ট্রভাষা। தமிழ் ஒரு பழமையான மொழி.',
  'ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ สวัสดีครับ',
];

const EMOJI = [
  'Great job 👍 👍🏽 👍🏿 🎉🎉 😀😃😄',
  'Family: 👨‍👩‍👧‍👦 couple: 👩‍❤️‍👨 pride: 🏳️‍🌈 pirate: 🏴‍☠️',
  'Flags 🇫🇷🇯🇵🇧🇷 keycaps 1️⃣ #️⃣ *️⃣ text vs emoji ☺︎ ☺️',
  'New ones: 🥲 🫠 🫶🏼 🪿 🫎 and symbols ★ ☆ ♥ ✓ ✗ → ← ⇒ ∞ ©®™',
  'weather ☀️🌧️⛈️❄️ food 🍕🍣🌮 animals 🐈‍⬛🐕‍🦺',
  '🧑🏻‍💻 writes code; 👩🏾‍🔬 runs tests; 🤷‍♀️',
];

const INVISIBLE = [
  'zero\u200Bwidth\u200Bspace and zero\u200Cnon\u200Djoiner\uFEFFbom',
  'soft\u00ADhyphen, word\u2060joiner, \u200Eleft-to-right\u200F and \u202Ereversed\u202C text',
  'controls\u0000nul\u0001soh\u0007bel\u001Besc\u007Fdel\u0085nel\u009Fapc',
  'tab\tseparated\tvalues\nnew line\r\nwindows line\rmac line\u000Bvt\u000Cff',
  'no\u00A0break\u00A0space, thin\u2009space, en\u2002space, ideographic\u3000space, narrow\u202Fnbsp',
  'line\u2028separator and paragraph\u2029separator, ogham\u1680space, mongolian\u180Evowel',
  'replacement \uFFFD char, private use \uE000\uF8FF, variation selector A\uFE0F, tag \u{E0041}',
  'lone surrogates \uD800 and \uDFFF in text',
];

const SPECIAL_TEXT = [
  '[SEP]',
  '[CLS] what is this [SEP] and that [SEP]',
  'text with [sep] and [cls] in lower case',
  'glued[SEP]tokens[CLS]here[PAD][MASK][UNK]',
  '[ SEP ] [SEP ] [[SEP]] [SE P] <s> </s> <pad>',
  '##ing ##s ## #hash @mention',
];

const LONG_WORDS = [
  'a'.repeat(99),
  'b'.repeat(100),
  'c'.repeat(101),
  'supercalifragilisticexpialidocious'.repeat(4),
  'e\u0301'.repeat(100), // 200 code points before accents are stripped, 100 after
  '\u{1D49C}'.repeat(101), // astral letters: 101 code points, 202 UTF-16 units
  'x'.repeat(250) + ' then a normal tail',
  'ACGT'.repeat(40),
  'https://example.com/' + 'segment/'.repeat(20) + 'index.html',
  '0123456789'.repeat(12),
];

const POOLS: readonly (readonly string[])[] = [PROSE, PROSE, PROSE, TECHNICAL, NUMBERS, ACCENTED, SCRIPTS, SCRIPTS, EMOJI, INVISIBLE, SPECIAL_TEXT, LONG_WORDS];
const SEPARATORS = [' ', ' ', ' ', ' ', '\n', '\n\n', '\t', '  ', '\u00A0', '\r\n', '\u200B', '', '\u3000'];
const EMPTYISH = ['', ' ', '   ', '\n', '\t\t', '\u00A0', '\u200B', '\uFEFF', '\u0000', ' \r\n \t ', '\u3000'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Fragments from `pools` until the text is at least `minChars` long. */
function text(random: () => number, minChars: number, pools: readonly (readonly string[])[] = POOLS): string {
  let out = pick(random, pick(random, pools));
  while (out.length < minChars) out += pick(random, SEPARATORS) + pick(random, pick(random, pools));
  return out;
}

/** A short query: a few words cut from any pool, sometimes a whole fragment. */
function shortText(random: () => number): string {
  const fragment = pick(random, pick(random, POOLS));
  if (random() < 0.4) return fragment;
  const words = fragment.split(' ');
  const start = int(random, 0, Math.max(0, words.length - 1));
  return words.slice(start, start + int(random, 1, 8)).join(' ');
}

/**
 * Random pairs over every length class the truncation cares about: both short, one side past 512
 * tokens, both past 256, mid-sized, single-pool (one script at a time), empty or blank sides.
 * Character targets are generous (about 4 characters per English token), and the fidelity test
 * measures the real token counts to prove each class is covered.
 */
export function fidelityCases(seed = 0x5eed5eed): FidelityCase[] {
  const random = seededRandom(seed);
  const cases: FidelityCase[] = [];
  const add = (label: string, count: number, make: () => [string, string]): void => {
    for (let i = 0; i < count; i++) {
      const [query, document] = make();
      cases.push({ label: `${label}#${i}`, query, document });
    }
  };
  add('short-short', 110, () => [shortText(random), text(random, int(random, 1, 300))]);
  add('short-long', 90, () => [shortText(random), text(random, int(random, 3000, 5000))]);
  add('long-short', 50, () => [text(random, int(random, 3000, 4500)), shortText(random)]);
  add('long-long', 60, () => [text(random, int(random, 1600, 3500)), text(random, int(random, 1600, 5000))]);
  add('mid-mid', 80, () => [text(random, int(random, 200, 1200)), text(random, int(random, 200, 1500))]);
  const single: Array<[string, readonly string[]]> = [
    ['prose', PROSE], ['technical', TECHNICAL], ['numbers', NUMBERS], ['accented', ACCENTED], ['scripts', SCRIPTS],
    ['emoji', EMOJI], ['invisible', INVISIBLE], ['special', SPECIAL_TEXT], ['long-words', LONG_WORDS],
  ];
  for (const [name, pool] of single) {
    add(`only-${name}`, 8, () => [text(random, int(random, 1, 200), [pool]), text(random, int(random, 100, 3000), [pool])]);
  }
  add('empty-query', 12, () => [pick(random, EMPTYISH), text(random, int(random, 1, 4000))]);
  add('empty-document', 12, () => [text(random, int(random, 1, 4000)), pick(random, EMPTYISH)]);
  add('empty-both', 6, () => [pick(random, EMPTYISH), pick(random, EMPTYISH)]);
  // Every fragment once as a query and once as a document, so no fragment depends on the dice.
  const all = POOLS.flat().filter((fragment, index, list) => list.indexOf(fragment) === index);
  all.forEach((fragment, i) => {
    cases.push({ label: `fragment-query#${i}`, query: fragment, document: text(random, int(random, 50, 2500)) });
    cases.push({ label: `fragment-document#${i}`, query: shortText(random), document: fragment });
  });
  return cases;
}

/** Words that are one token each in a BERT uncased vocabulary, for pairs of exact token counts. */
const ONE_TOKEN_WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'park', 'red', 'ball', 'water', 'house', 'tree', 'road', 'city'];

function words(count: number, offset: number): string {
  return Array.from({ length: count }, (_, i) => ONE_TOKEN_WORDS[(i + offset) % ONE_TOKEN_WORDS.length]).join(' ');
}

/**
 * Pairs whose token counts sit exactly at `maxLength`, one under, one and two over, split between
 * query and document in the ways `longest_first` treats differently (one side empty, one token,
 * halves, all but one).
 */
export function limitCases(maxLength: number, specialCount: number): Array<FidelityCase & { queryTokens: number; documentTokens: number }> {
  const budget = maxLength - specialCount;
  const out: Array<FidelityCase & { queryTokens: number; documentTokens: number }> = [];
  const seen = new Set<string>();
  for (const over of [-1, 0, 1, 2]) {
    const total = budget + over;
    if (total < 0) continue;
    for (const q of [0, 1, Math.floor(total / 2), Math.ceil(total / 2), total - 1, total]) {
      if (q < 0 || q > total) continue;
      const d = total - q;
      const key = `${q}+${d}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ label: `limit ${maxLength}: ${q}+${d} tokens (${over >= 0 ? '+' : ''}${over})`, query: words(q, 0), document: words(d, 7), queryTokens: q, documentTokens: d });
    }
  }
  return out;
}
