import { randomUUID } from 'node:crypto';
import { LoopbackServer, startLoopbackServer } from './http-server';

// A loopback Cognito user pool (AWS JSON 1.1, AWSCognitoIdentityProviderService.<Op>) with
// real state: users are created with a sub, refused when the name is taken, given a
// password, disabled and deleted, so a test can check what is left in the pool.

export interface CognitoCall {
  readonly action: string;
  readonly body: Record<string, any>;
}

export interface StubUser {
  readonly username: string;
  readonly sub: string;
  readonly attributes: Record<string, string>;
  enabled: boolean;
  password?: string;
  permanent?: boolean;
}

export interface CognitoIdpStub {
  readonly url: string;
  readonly calls: CognitoCall[];
  /** The pool's users by user name. */
  readonly users: Map<string, StubUser>;
  readonly server: LoopbackServer;
  /** The next `count` calls of `action` answer this error. */
  failNext(action: string, status: number, code: string, count?: number): void;
  stop(): Promise<void>;
}

export async function startCognitoIdpStub(): Promise<CognitoIdpStub> {
  const calls: CognitoCall[] = [];
  const users = new Map<string, StubUser>();
  const failures = new Map<string, { status: number; code: string; left: number }>();
  const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
  const error = (status: number, code: string, message = code) => json(status, { __type: `com.amazonaws.cognito#${code}`, message });
  const server = await startLoopbackServer((request) => {
    const action = String(request.headers['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
    const body = JSON.parse(request.body || '{}') as Record<string, any>;
    calls.push({ action, body });
    const failure = failures.get(action);
    if (failure) {
      if (--failure.left <= 0) failures.delete(action);
      return error(failure.status, failure.code);
    }
    const user = users.get(body.Username);
    switch (action) {
      case 'AdminCreateUser': {
        if (user) return error(400, 'UsernameExistsException', 'User account already exists');
        const attributes = Object.fromEntries((body.UserAttributes ?? []).map((a: { Name: string; Value: string }) => [a.Name, a.Value]));
        const created: StubUser = { username: body.Username, sub: randomUUID(), attributes, enabled: true };
        users.set(body.Username, created);
        return json(200, {
          User: {
            Username: created.username,
            Enabled: true,
            UserStatus: 'FORCE_CHANGE_PASSWORD',
            Attributes: [{ Name: 'sub', Value: created.sub }, ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))],
          },
        });
      }
      case 'AdminSetUserPassword':
        if (!user) return error(400, 'UserNotFoundException', 'User does not exist.');
        user.password = body.Password;
        user.permanent = body.Permanent;
        return json(200, {});
      case 'AdminDisableUser':
        if (!user) return error(400, 'UserNotFoundException', 'User does not exist.');
        user.enabled = false;
        return json(200, {});
      case 'AdminDeleteUser':
        if (!user) return error(400, 'UserNotFoundException', 'User does not exist.');
        users.delete(body.Username);
        return json(200, {});
      default:
        return error(400, 'InvalidAction', `unexpected ${action}`);
    }
  });
  return {
    url: server.url,
    calls,
    users,
    server,
    failNext(action, status, code, count = 1) {
      failures.set(action, { status, code, left: count });
    },
    stop: () => server.stop(),
  };
}
