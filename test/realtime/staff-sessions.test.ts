import { expect } from 'chai';
import { signAccessToken } from '../../api/auth/token.js';
import type { StaffCaseEvent } from '../../realtime/events.js';
import { buildCase, createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';
import { closeAllSockets, collect, connect, waitFor, within, type ClientSocket } from './sockets.js';

const TANYI = '371325105'; // 探沂镇, where the default rules send buildCase()'s case

async function adminToken(): Promise<string> {
  const res = await request('POST', '/api/auth/login', { body: { username: 'admin', password: harness().adminPassword }, ip: freshIp() });
  return res.body.accessToken as string;
}

// Drops the connection as a flaky network does; the client reconnects with its session id and offset.
function dropAndReconnect(socket: ClientSocket): Promise<{ error?: Error & { data?: { code: string } } }> {
  return new Promise((resolve) => {
    // The manager's 'reconnect' comes with the transport; the namespace answers after the middleware.
    socket.once('connect', () => resolve({}));
    socket.once('connect_error', (error) => resolve({ error }));
    socket.io.engine.close();
  });
}

describe('staff sockets: a valid token on every (re)connection, cut when it ends', () => {
  afterEach(closeAllSockets);

  it('when a handler reconnects within the recovery window with no token, then the session is refused and no unit event reaches it', async () => {
    const handler = await createStaff('handler', TANYI);
    const socket = await connect({ token: handler.token, reconnection: true });
    const assigned = collect(socket, 'case:assigned') as StaffCaseEvent[];
    socket.auth = {};

    const { error } = await dropAndReconnect(socket);
    socket.io.reconnection(false);
    // The marker: a new session of the same handler on the same process, in the same unit room. Once
    // it has the assignment, the process has sent it to every socket of the room; the refused session
    // has no socket there, and no connection left for anything to arrive over later.
    const witness = await connect({ token: handler.token });
    const witnessed = collect(witness, 'case:assigned') as StaffCaseEvent[];
    const record = await buildCase();
    await waitFor(() => witnessed.some((a) => a.caseId === record.id), 10_000, 'the assignment at the new session');

    expect(error?.message).to.equal('unauthenticated');
    expect(error?.data?.code).to.equal('unauthenticated');
    expect(socket.connected).to.equal(false);
    expect(assigned.filter((a) => a.caseId === record.id)).to.deep.equal([]);
  });

  it('when a handler reconnects with another account\'s valid token, then the resumed session is refused', async () => {
    const handler = await createStaff('handler', TANYI);
    const other = await createStaff('supervisor');
    const socket = await connect({ token: handler.token, reconnection: true });
    socket.auth = { token: other.token };

    const { error } = await dropAndReconnect(socket);
    socket.io.reconnection(false);

    expect(error?.message).to.equal('unauthenticated');
  });

  it('when a handler reconnects with its valid token, then the session resumes and unit events keep coming (the refusals above can fail)', async () => {
    const handler = await createStaff('handler', TANYI);
    const socket = await connect({ token: handler.token, reconnection: true });
    const assigned = collect(socket, 'case:assigned') as StaffCaseEvent[];

    const { error } = await dropAndReconnect(socket);
    const record = await buildCase();
    await waitFor(() => assigned.some((a) => a.caseId === record.id), 5_000, 'case:assigned after the reconnect');

    expect(error).to.equal(undefined);
    expect(socket.recovered).to.equal(true);
  });

  it('when the token expires, then the socket is cut', async () => {
    const handler = await createStaff('handler', TANYI);
    const shortLived = signAccessToken({ id: handler.id, username: handler.username, role: 'handler', unitCode: TANYI }, harness().jwtSecret, 2);
    const socket = await connect({ token: shortLived });
    const cut = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    // Real time passes: the server's clock decides when a token has ended.
    const reason = await within(cut, 6_000, 'the socket to be cut when its token ends');

    expect(reason).to.equal('io server disconnect');
  });

  for (const [what, change] of [
    ['disabled', { disabled: true }],
    ['moved to another unit', { unitCode: '371302' }],
    ['given a new password', { password: 'a-new-password-set-by-admin' }],
  ] as const) {
    it(`when an admin's change leaves the account ${what}, then its open socket is cut and its old token refused on reconnect`, async () => {
      const handler = await createStaff('handler', TANYI);
      const socket = await connect({ token: handler.token });
      const cut = new Promise<string>((resolve) => socket.once('disconnect', resolve));

      const patch = await request('PATCH', `/api/users/${handler.id}`, { token: await adminToken(), body: change });
      const reason = await within(cut, 5_000, 'the socket to be cut');
      const again = await connect({ token: handler.token }).then(() => null, (e: Error) => e);

      expect(patch.status, patch.text).to.equal(200);
      expect(reason).to.equal('io server disconnect');
      expect(again?.message).to.equal('unauthenticated');
    });
  }
});
