import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { normalizeForMasking, replaceContactDetails } from './contact-details.js';

/**
 * 去标识化: what a citizen or a unit wrote, made fit to show publicly, to send to a citizen and to
 * route on. One module for every place text leaves the staff's hands: the public case view, the
 * citizen's socket payloads, outbound replies, exports and hot-topic terms.
 */

/** 张三 -> 张**: the surname alone, and never the length of the given name. */
export function maskName(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  const chars = Array.from(trimmed);
  const surname = COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? chars.slice(0, 2).join('') : (chars[0] ?? '');
  return `${surname}**`;
}

/** 13812341234 -> 138****1234; anything shorter keeps only its last two digits. */
export function maskPhone(phone: string | null | undefined): string | null {
  const digits = phone ? normalizeForMasking(phone).replace(/\D/g, '') : '';
  if (!digits) return null;
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

// The commonest surnames (about 90% of the population), so that a word jieba guesses to be a
// name (nr) is masked only when it opens like one.
const SURNAMES = new Set(Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
));
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '长孙', '宇文', '司徒', '端木', '独孤', '南宫']);
// Words jieba tags as names that are not: a thank-you is not a person.
const NOT_NAMES = new Set(['谢谢', '谢意', '高兴', '文明', '安全', '常常', '万一', '和谐', '白天', '明白', '时间', '方便', '关心', '华为', '平安', '金额']);
const NAME_TAGS = new Set(['nr', 'nrfg', 'nrt']);
const HAN = /^\p{Script=Han}+$/u;

let tagger: Jieba | undefined;

/**
 * Whether a tagged word reads as a person's name: tagged nr, opening with a surname. Words jieba
 * leaves untagged (x) are not taken: village and township names (朱田, 马牧池) are among them.
 */
function isPersonName(word: string, tag: string): boolean {
  const length = Array.from(word).length;
  if (length < 2 || length > 4 || !HAN.test(word) || NOT_NAMES.has(word) || !NAME_TAGS.has(tag)) return false;
  return SURNAMES.has(word.slice(0, 1)) || COMPOUND_SURNAMES.has(word.slice(0, 2));
}

/**
 * Masks the names of people jieba finds in the text (part-of-speech nr). jieba often splits a
 * name it does not know into the surname and the given name (赵 + 卫东): a lone surname followed
 * by a short name-like word is read as one name.
 */
function maskPersonNames(text: string): string {
  // Loading the dictionary takes about 180 ms: once per process, on first use.
  tagger ??= Jieba.withDict(dict);
  const words = tagger.tag(text, true);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const { word, tag } = words[i] ?? { word: '', tag: '' };
    const next = words[i + 1];
    const givenName = next && NAME_TAGS.has(next.tag) && HAN.test(next.word) && Array.from(next.word).length <= 2;
    if (SURNAMES.has(word) && givenName) {
      out.push(`${word}**`);
      i += 1;
    } else {
      out.push(isPersonName(word, tag) ? (maskName(word) ?? word) : word);
    }
  }
  return out.join('');
}

/** Options of de-identification: the citizen's own name, masked wherever it appears. */
export interface DeIdentifyOptions {
  readonly citizenName?: string | null;
}

/**
 * Normalises the text (NFKC, separators), then masks contact details, identity and bank card
 * numbers, named QQ/WeChat ids, the citizen's own name and other people's names.
 */
export function deIdentify(text: string, options: DeIdentifyOptions = {}): string {
  let masked = replaceContactDetails(normalizeForMasking(text), (_kind, m) => m);
  const own = options.citizenName ? normalizeForMasking(options.citizenName).trim() : '';
  if (Array.from(own).length >= 2) masked = masked.split(own).join(maskName(own) ?? '');
  return maskPersonNames(masked);
}

/** deIdentify for optional text: null stays null. */
export function deIdentifyOptional(text: string | null | undefined, options: DeIdentifyOptions = {}): string | null {
  return text === null || text === undefined ? null : deIdentify(text, options);
}

/** A title cut from the de-identified text, so that a cut never leaves half a phone number behind. */
export function titleFrom(text: string, maxLength: number): string {
  return Array.from(deIdentify(text)).slice(0, maxLength).join('');
}

/**
 * What the routing engine reads: contact details and identity numbers blanked out entirely, so
 * that their digits or an e-mail's words never decide where a case goes. Names stay: they do
 * not look like any rule's keyword, and a mistagged word must not lose its meaning.
 */
export function withoutContactDetails(text: string): string {
  return replaceContactDetails(normalizeForMasking(text), () => ' ');
}
