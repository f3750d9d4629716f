/**
 * Port of Flask's tests/test_session_interface.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt.
 */
import { describe, expect, it } from 'vitest';
import { App, session, type Request } from 'flagon';
import type { SessionInterface } from 'flagon/app';
import { createSession, type Session } from 'flagon/sessions';

describe('flask tests/test_session_interface.py', () => {
  it('test_open_session_with_endpoint', async () => {
    // Flask opens the session before matching, so its interface calls request_ctx.match_request() itself. Flagon
    // matches first and opens the session when the request first uses it (here, the view), so request.endpoint is
    // already there; the view reads the session to make the App open it.
    const endpoints: Array<string | null> = [];
    class MySessionInterface implements SessionInterface {
      saveSession(): void {}
      openSession(_app: unknown, request: Request): Session | null {
        endpoints.push(request.endpoint);
        return createSession();
      }
    }
    const app = new App(import.meta.url, { staticFolder: null });
    app.sessionInterface = new MySessionInterface();
    app.get('/', function index() {
      return `Hello, World!${String(session.anything ?? '')}`;
    });
    const response = await app.testClient().get('/');
    expect(response.status).toBe(200);
    expect(endpoints).toEqual(['index']);
  });
});
