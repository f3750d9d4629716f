/**
 * Runs the demo from a script: `npx tsx examples/notes-app/server.ts`. `app.run()` serves it with the reloader and
 * the debug page, as `npm run demo` does through `flagon run --debug --app examples/notes-app/app.ts`.
 */
import { app } from './app.js';

await app.run({ port: Number(process.env.PORT ?? 5000), debug: true });
