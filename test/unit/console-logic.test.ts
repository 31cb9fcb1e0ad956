import { expect } from 'chai';
import { actionBody, actionLabel, fieldsFor, missingField } from '../../web/console/src/logic/actions.js';
import { ApiError, describeError } from '../../web/console/src/logic/api-error.js';
import { belongsToTab, caseHeadline, NEWEST_FIRST, petitionSummary, sortFromTable, sortParams } from '../../web/console/src/logic/case.js';
import { deadlineColour, formatTime, formatTimeLeft, worstColour } from '../../web/console/src/logic/deadlines.js';
import { emptyIntakeForm, intakeBody, isLookupPhone, titleFrom } from '../../web/console/src/logic/intake-form.js';
import { readBackSentence, spaced } from '../../web/console/src/logic/readback.js';
import { answerFrom, togglePicked, validityText } from '../../web/console/src/logic/knowledge.js';
import { createTurns } from '../../web/console/src/logic/turns.js';

const NOW = new Date('2026-11-30T02:00:00Z'); // 10:00 in Linyi

describe('staff console logic (web/console/src/logic)', () => {
  describe('deadline colours', () => {
    it('when the warning time has not come, then normal; past it, 黄牌 (warning); past the due time, 红牌 (overdue)', () => {
      expect(deadlineColour('2026-11-30T10:00:00Z', '2026-11-30T08:00:00Z', NOW)).to.equal('normal');
      expect(deadlineColour('2026-11-30T10:00:00Z', '2026-11-30T01:00:00Z', NOW)).to.equal('warning');
      expect(deadlineColour('2026-11-30T02:00:00Z', '2026-11-30T01:00:00Z', NOW)).to.equal('overdue');
      expect(deadlineColour(null, null, NOW)).to.equal('none');
    });

    it('when a row has both deadlines, then it takes the worse colour', () => {
      expect(worstColour('normal', 'overdue')).to.equal('overdue');
      expect(worstColour('warning', 'none')).to.equal('warning');
      expect(worstColour('none', 'none')).to.equal('none');
    });
  });

  describe('working time left', () => {
    it('when more than a day is left, then it is told in working days as the API counted them', () => {
      expect(formatTimeLeft('2026-12-07T16:00:00Z', NOW, 5)).to.equal('剩余5个工作日');
    });

    it('when less than a day is left, then it is told in hours and minutes', () => {
      expect(formatTimeLeft('2026-11-30T05:30:00Z', NOW, 0)).to.equal('剩余3小时30分');
      expect(formatTimeLeft('2026-11-30T02:45:00Z', NOW, 0)).to.equal('剩余45分钟');
    });

    it('when the deadline has passed, then it says by how long (days past a day)', () => {
      expect(formatTimeLeft('2026-11-30T00:00:00Z', NOW, null)).to.equal('已超期2小时');
      expect(formatTimeLeft('2026-11-27T00:00:00Z', NOW, null)).to.equal('已超期3天');
      expect(formatTimeLeft(null, NOW, null)).to.equal('—');
    });

    it('when a limit ends at midnight in Linyi, then it reads 24:00 of its last day', () => {
      expect(formatTime('2026-12-01T16:00:00Z')).to.equal('2026-12-01 24:00');
      expect(formatTime('2026-11-30T01:05:00Z')).to.equal('2026-11-30 09:05');
    });
  });

  describe('read-back sentence', () => {
    it('when the case is stored, then the sentence carries the number, the spaced query code, the unit and the reply day', () => {
      const sentence = readBackSentence({ caseNo: '202611300000001', queryCode: '352221', unitName: '探沂镇', replyBy: '2026-12-07T16:00:00Z' });
      expect(sentence).to.equal('您的诉求已登记，工单编号202611300000001，查询码35 22 21，请您记好。已转探沂镇办理，答复期限为12月7日。您可以凭工单编号和查询码在网站上查询办理进度。');
    });

    it('when no rule took the case, then it says the centre will dispatch it', () => {
      expect(readBackSentence({ caseNo: '1', queryCode: '000001', unitName: null, replyBy: null })).to.contain('将由热线中心派单办理。');
      expect(spaced('123456')).to.equal('12 34 56');
    });
  });

  describe('intake body', () => {
    it('when a letter is entered with a chosen township and another unit, then the body carries division, receipt date and dispatchTo', () => {
      const form = { ...emptyIntakeForm(), channel: 'letter', receivedAt: '2026-11-25', content: ' 村口路灯不亮。已经一周 ', countyCode: '371325', townshipCode: '371325105', dispatchTo: '371325', phone: '139 1234 5678' };
      expect(intakeBody(form)).to.deep.equal({
        channel: 'letter',
        type: 'complaint',
        urgency: 'normal',
        title: '村口路灯不亮',
        content: '村口路灯不亮。已经一周',
        divisionCode: '371325105',
        receivedAt: '2026-11-24T16:00:00.000Z',
        dispatchTo: '371325',
        citizen: { phone: '139 1234 5678' },
      });
    });

    it('when a hotline call has a receipt date left over, then it is not sent; titles are cut at 30 characters', () => {
      expect(intakeBody({ ...emptyIntakeForm(), content: '咨询', receivedAt: '2026-11-25' })).to.not.have.property('receivedAt');
      expect(intakeBody({ ...emptyIntakeForm(), content: '咨询', coUnits: ['371325101'] }).coUnits).to.deep.equal(['371325101']);
      expect(intakeBody({ ...emptyIntakeForm(), content: '咨询' })).to.not.have.property('coUnits');
      expect(titleFrom('一'.repeat(40))).to.equal(`${'一'.repeat(30)}…`);
      expect(caseHeadline({ title: null, content: '小区门口路灯坏了。晚上很黑' }), 'a case taken without a title').to.equal('小区门口路灯坏了');
      expect(caseHeadline({ title: '  ', content: '噪音扰民' })).to.equal('噪音扰民');
      expect(caseHeadline({ title: '路灯不亮', content: '小区门口路灯坏了' })).to.equal('路灯不亮');
      expect(isLookupPhone('8123-456')).to.equal(true);
      expect(isLookupPhone('139')).to.equal(false);
    });
  });

  describe('action dialogs', () => {
    it('when a disclosure request is replied to, then outcome is asked, and the ground only for a refusal', () => {
      const fields = fieldsFor('reply', 'disclosure');
      expect(fields.map((f) => f.key)).to.deep.equal(['reply', 'outcome', 'ground', 'legalBasis', 'publicInterest']);
      expect(missingField(fields, { reply: '已答复', outcome: 'not_disclosed', ground: '' })).to.equal('请填写不予公开理由。');
      expect(missingField(fields, { reply: '已答复', outcome: 'disclosed', ground: '' })).to.equal(null);
      expect(actionBody('reply', fields, { reply: ' 已答复 ', outcome: 'disclosed', ground: 'privacy', legalBasis: '' }, 3)).to.deep.equal({
        action: 'reply',
        expectedVersion: 3,
        reply: '已答复',
        outcome: 'disclosed',
      });
      expect(fieldsFor('reply', 'complaint').map((f) => f.key)).to.deep.equal(['reply']);
    });

    it('when the API refuses a return because the centre arbitrated, then the screen says why in words', () => {
      expect(describeError(new ApiError(409, 'arbitrated', 'bound'))).to.include('仲裁');
    });

    it('when a disclosure is disclosed against a third party, then the public-interest ground is sent with it, and only then', () => {
      const fields = fieldsFor('reply', 'disclosure');
      expect(actionBody('reply', fields, { reply: '予以公开', outcome: 'disclosed', publicInterest: '涉及公共资金使用' }, 2)).to.include({ publicInterest: '涉及公共资金使用' });
      expect(actionBody('reply', fields, { reply: '不予公开', outcome: 'not_disclosed', ground: 'privacy', publicInterest: '涉及公共资金使用' }, 2)).to.not.have.property('publicInterest');
    });

    it('when the centre dispatches, then the button reads 派单 for a new case and 改派 for one a unit holds', () => {
      expect(actionLabel('dispatch', 'registered')).to.equal('派单');
      expect(actionLabel('dispatch', 'returned')).to.equal('派单');
      expect(actionLabel('dispatch', 'in_progress')).to.equal('改派');
      expect(missingField(fieldsFor('return', 'complaint'), { reason: '  ' })).to.equal('请填写退回理由。');
    });

    it('when a dispatch names co-handling units (协办), then they are sent as coUnits; none chosen sends none', () => {
      const fields = fieldsFor('dispatch', 'complaint');
      expect(fields.map((f) => [f.key, f.kind, f.required])).to.deep.equal([['unitCode', 'unit', true], ['coUnits', 'units', false]]);
      expect(actionBody('dispatch', fields, { unitCode: '371325105', coUnits: ['371325101', '3713-huanbao'] }, 2)).to.deep.equal({ action: 'dispatch', expectedVersion: 2, unitCode: '371325105', coUnits: ['371325101', '3713-huanbao'] });
      expect(actionBody('dispatch', fields, { unitCode: '371325105', coUnits: [] }, 2)).to.deep.equal({ action: 'dispatch', expectedVersion: 2, unitCode: '371325105' });
      expect(missingField(fields, { unitCode: '', coUnits: ['371325101'] })).to.equal('请填写承办单位。');
    });
  });

  describe('errors and tabs', () => {
    it('when the API refuses with 409, then the words say the case moved on; an unreachable server says so', () => {
      expect(describeError(new ApiError(409, 'invalid_state', 'accept is not allowed while the case is in_progress'))).to.match(/^工单状态已经变化/);
      expect(describeError(new ApiError(400, 'validation_failed', 'Invalid body', [{ path: 'body.reason', message: '"reason" is required' }]))).to.contain('"reason" is required');
      expect(describeError(new TypeError('fetch failed'))).to.equal('无法连接服务器，请检查网络后重试。');
    });

    it('when a table header sorts the queue, then the API is asked for that order; clearing it goes back to newest first', () => {
      expect(sortFromTable('replyBy', 'ascending')).to.deep.equal({ key: 'replyBy', order: 'asc' });
      expect(sortParams(sortFromTable('acceptBy', 'descending'))).to.deep.equal({ sort: 'acceptBy', order: 'desc' });
      expect(sortFromTable('replyBy', null)).to.deep.equal(NEWEST_FIRST);
      expect(sortFromTable('title', 'ascending')).to.deep.equal(NEWEST_FIRST);
      expect(sortParams(NEWEST_FIRST)).to.deep.equal({});
    });

    it('when a pushed case changes status, then it stays on the tab only if the tab lists that status', () => {
      expect(belongsToTab('todo', 'dispatched')).to.equal(true);
      expect(belongsToTab('todo', 'in_progress')).to.equal(false);
      expect(belongsToTab('manual', 'returned')).to.equal(true);
      expect(belongsToTab('all', 'closed')).to.equal(true);
    });
  });

  describe('petitions', () => {
    it('when a petition is not accepted, then its line names the channel; when a repeat of a concluded matter, it says so', () => {
      const base = { decisionLabel: '不予受理', properChannelLabel: '仲裁', reviewLevel: 0, reviewLabel: '未申请复查', concluded: false, repeatsConcluded: false };
      expect(petitionSummary(base)).to.equal('不予受理；法定途径：仲裁');
      expect(petitionSummary({ ...base, decisionLabel: '已受理', properChannelLabel: null, reviewLevel: 2, reviewLabel: '复核', concluded: true })).to.equal('已受理；已申请复核；已终结');
      expect(petitionSummary({ ...base, decisionLabel: '待决定是否受理', properChannelLabel: null, repeatsConcluded: true })).to.equal('待决定是否受理；重复信访：与已终结事项相同');
    });

    it('when the office rejects a petition, then the dialog asks for the statutory channel and the reason, and the body carries both', () => {
      const fields = fieldsFor('reject_petition', 'petition');
      expect(fields.map((f) => f.key)).to.deep.equal(['properChannel', 'reason']);
      expect(missingField(fields, { properChannel: 'litigation' })).to.equal('请填写不予受理理由。');
      expect(actionBody('reject_petition', fields, { properChannel: 'litigation', reason: ' 属于民事纠纷 ' }, 3)).to.deep.equal({ action: 'reject_petition', expectedVersion: 3, properChannel: 'litigation', reason: '属于民事纠纷' });
    });
  });

  describe('knowledge at the desk', () => {
    it('when articles are picked and unpicked, then the order of picking is kept and the answer starts from their bodies in it', () => {
      const a = { id: 'a', body: ' 甲文 ' };
      const b = { id: 'b', body: '乙文' };
      const picked = togglePicked(togglePicked(togglePicked([], b), a), { id: 'c', body: '丙文' });
      expect(togglePicked(picked, { id: 'c', body: '丙文' }).map((x) => x.id)).to.deep.equal(['b', 'a']);
      expect(answerFrom([b, a])).to.equal('乙文\n\n甲文');
    });

    it('when an article has no end date, then its validity reads as open-ended', () => {
      expect(validityText({ validFrom: '2026-01-01', validTo: null })).to.equal('2026-01-01 起长期有效');
      expect(validityText({ validFrom: '2026-01-01', validTo: '2026-12-31' })).to.equal('2026-01-01 至 2026-12-31');
    });

    it('when the case was answered at the desk, then the read-back says so and names no unit or deadline', () => {
      const sentence = readBackSentence({ caseNo: '202611300000002', queryCode: '123456', unitName: null, replyBy: '2026-12-01T16:00:00Z', answeredDirectly: true });
      expect(sentence).to.contain('当场答复').and.contain('12 34 56').and.not.contain('派单').and.not.contain('期限');
    });
  });
});

describe('turns of the requests filling one view', () => {
  it('when a reload asked before an action is answered after it, then only the action’s answer counts', () => {
    const turns = createTurns();
    const reload = turns.take();
    const action = turns.take();
    expect(turns.isLatest(action)).to.equal(true);
    expect(turns.isLatest(reload), 'the earlier reload, arriving late').to.equal(false);
  });

  it('when a reload is asked after the action, then it is the newest and the action’s later answer is dropped', () => {
    const turns = createTurns();
    const action = turns.take();
    const reload = turns.take();
    expect(turns.isLatest(reload)).to.equal(true);
    expect(turns.isLatest(action)).to.equal(false);
  });

  it('when two views keep their own turns, then one view’s requests do not make the other’s stale', () => {
    const [a, b] = [createTurns(), createTurns()];
    const first = a.take();
    b.take();
    b.take();
    expect(a.isLatest(first)).to.equal(true);
  });
});
