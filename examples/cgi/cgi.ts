/**
 * The CGI entry point: one process per request. runCgi reads the request from the CGI environment and stdin, runs
 * the app, and writes `Status:`, the headers and the body to stdout; its result is the process's exit status.
 */
import { runCgi } from 'flagon/adapters';
import { app } from './app.js';

process.exitCode = await runCgi(app.gatewayApp);
