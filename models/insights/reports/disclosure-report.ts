import type { Queryable } from '../../../infra/db.js';

type Mode = 'in_person' | 'fax' | 'online' | 'letter' | 'other';
const GROUNDS = ['state_secret', 'commercial_secret', 'privacy', 'security_stability', 'not_government_info', 'other_statutory'] as const;
const OUTCOMES = ['already_public', 'disclosed', 'partly_disclosed', 'not_held', 'not_exist', 'amend', 'other_route'] as const;

/** The "依申请公开情况" section of the annual report, as in the 2018 report's table. */
export interface DisclosureReport {
  readonly year: number;
  readonly received: Record<'total' | Mode, number>;
  readonly completed: { readonly total: number; readonly onTime: number; readonly extended: number };
  readonly replies: Record<'total' | (typeof OUTCOMES)[number], number> & {
    readonly not_disclosed: Record<'total' | (typeof GROUNDS)[number], number>;
  };
}

/**
 * Computes the report over the disclosure requests received in `year` (Asia/Shanghai), optionally
 * within a unit's subtree. Requests come in by the statutory modes; a request entered through
 * another channel counts as 网络 (online) when it came over the internet and 其他 otherwise.
 * Completed = answered (or withdrawn), split by whether an extension was approved (按时/延期办结);
 * replies count the statutory outcomes (a withdrawn request is completed but not a reply).
 */
export async function disclosureReport(db: Queryable, year: number, unitPath: string | null): Promise<DisclosureReport> {
  const { rows } = await db.query<Record<string, number>>(
    `WITH d AS (
       SELECT c.* FROM cases c LEFT JOIN units u ON u.code = c.assigned_unit_code
        WHERE c.type = 'disclosure' AND c.merged_into IS NULL
          AND c.received_at >= make_timestamptz($1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
          AND c.received_at < make_timestamptz($1 + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
          AND ($2::text IS NULL OR u.path LIKE $2 || '%')
     )
     SELECT count(*) AS received,
            count(*) FILTER (WHERE channel = 'in_person') AS in_person,
            count(*) FILTER (WHERE channel = 'fax') AS fax,
            count(*) FILTER (WHERE channel IN ('online', 'mailbox', 'web_qa', 'wechat', 'microblog')) AS online,
            count(*) FILTER (WHERE channel = 'letter') AS letter,
            count(*) FILTER (WHERE channel IN ('other', 'hotline')) AS other,
            count(*) FILTER (WHERE disclosure_outcome IS NOT NULL) AS completed,
            count(*) FILTER (WHERE disclosure_outcome IS NOT NULL AND jsonb_array_length(extensions) > 0) AS extended,
            count(*) FILTER (WHERE disclosure_outcome IS NOT NULL AND disclosure_outcome <> 'withdrawn') AS replies,
            ${OUTCOMES.map((o) => `count(*) FILTER (WHERE disclosure_outcome = '${o}') AS ${o}`).join(',\n            ')},
            count(*) FILTER (WHERE disclosure_outcome = 'not_disclosed') AS not_disclosed,
            ${GROUNDS.map((g) => `count(*) FILTER (WHERE disclosure_ground = '${g}') AS ${g}`).join(',\n            ')}
       FROM d`,
    [year, unitPath],
  );
  const r = rows[0] ?? {};
  const n = (key: string): number => Number(r[key] ?? 0);
  return {
    year,
    received: { total: n('received'), in_person: n('in_person'), fax: n('fax'), online: n('online'), letter: n('letter'), other: n('other') },
    completed: { total: n('completed'), onTime: n('completed') - n('extended'), extended: n('extended') },
    replies: {
      total: n('replies'),
      already_public: n('already_public'),
      disclosed: n('disclosed'),
      partly_disclosed: n('partly_disclosed'),
      not_disclosed: {
        total: n('not_disclosed'),
        state_secret: n('state_secret'),
        commercial_secret: n('commercial_secret'),
        privacy: n('privacy'),
        security_stability: n('security_stability'),
        not_government_info: n('not_government_info'),
        other_statutory: n('other_statutory'),
      },
      not_held: n('not_held'),
      not_exist: n('not_exist'),
      amend: n('amend'),
      other_route: n('other_route'),
    },
  };
}

/** The report's rows in the layout of the 2018 annual report, for CSV: [label, unit, count]. */
export function disclosureReportRows(report: DisclosureReport): [string, string, number][] {
  const { received: rc, completed: cp, replies: rp } = report;
  const nd = rp.not_disclosed;
  return [
    ['（一）收到申请数', '件', rc.total],
    ['1.当面申请数', '件', rc.in_person],
    ['2.传真申请数', '件', rc.fax],
    ['3.网络申请数', '件', rc.online],
    ['4.信函申请数', '件', rc.letter],
    ['5.其他形式', '件', rc.other],
    ['（二）申请办结数', '件', cp.total],
    ['1.按时办结数', '件', cp.onTime],
    ['2.延期办结数', '件', cp.extended],
    ['（三）申请答复数', '件', rp.total],
    ['1.属于已主动公开范围数', '件', rp.already_public],
    ['2.同意公开答复数', '件', rp.disclosed],
    ['3.同意部分公开答复数', '件', rp.partly_disclosed],
    ['4.不同意公开答复数', '件', nd.total],
    ['其中：涉及国家秘密', '件', nd.state_secret],
    ['涉及商业秘密', '件', nd.commercial_secret],
    ['涉及个人隐私', '件', nd.privacy],
    ['危及国家安全、公共安全、经济安全和社会稳定', '件', nd.security_stability],
    ['不是《条例》所指政府信息', '件', nd.not_government_info],
    ['法律法规规定的其他情形', '件', nd.other_statutory],
    ['5.不属于本行政机关公开数', '件', rp.not_held],
    ['6.申请信息不存在数', '件', rp.not_exist],
    ['7.告知作出更改补充数', '件', rp.amend],
    ['8.告知通过其他途径办理数', '件', rp.other_route],
  ];
}
