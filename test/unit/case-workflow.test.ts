import { expect } from 'chai';
import { STATUSES } from '../../models/cases/case.js';
import { ACTIONS, checkTransition, TRANSITIONS, type ActorKind } from '../../models/cases/case-workflow.js';

const ACTORS: ActorKind[] = ['operator', 'supervisor', 'admin', 'assigned_handler'];

describe('case workflow state table', () => {
  it('when a registered case is dispatched by an operator, then it is allowed and leads to dispatched', () => {
    expect(checkTransition('dispatch', 'registered', 'operator')).to.equal(null);
    expect(TRANSITIONS.dispatch.to).to.equal('dispatched');
  });

  it('when a handler of the assigned unit accepts a dispatched case, then it is allowed', () => {
    expect(checkTransition('accept', 'dispatched', 'assigned_handler')).to.equal(null);
  });

  it('when a case already in progress is accepted again, then it is a 409 conflict', () => {
    expect(checkTransition('accept', 'in_progress', 'assigned_handler')).to.deep.include({ status: 409 });
  });

  it('when an operator tries to accept, then it is 403 whatever the status', () => {
    for (const status of STATUSES) expect(checkTransition('accept', status, 'operator')).to.deep.include({ status: 403 });
  });

  it('when someone outside the assigned unit acts, then it is 403', () => {
    expect(checkTransition('return', 'dispatched', null)).to.deep.include({ status: 403 });
  });

  it('when a returned case is dispatched again by the centre, then it is allowed', () => {
    expect(checkTransition('dispatch', 'returned', 'supervisor')).to.equal(null);
  });

  it('when a returned case is accepted or forwarded, then it is refused until the centre re-dispatches', () => {
    expect(checkTransition('accept', 'returned', 'assigned_handler')).to.deep.include({ status: 409 });
    expect(checkTransition('forward', 'returned', 'assigned_handler')).to.deep.include({ status: 409 });
  });

  it('when a case is replied or closed, then none of the dispatch and handling actions apply', () => {
    const handling = ACTIONS.filter((a) => !['close', 'reopen', 'supervise'].includes(a));
    for (const action of handling) {
      for (const actor of ACTORS) {
        expect(checkTransition(action, 'replied', actor)).not.to.equal(null);
        expect(checkTransition(action, 'closed', actor)).not.to.equal(null);
      }
    }
  });
});
