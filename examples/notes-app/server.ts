/** Runs the demo app: `npm run demo` (with reload), or `npx tsx examples/notes-app/server.ts`. */
import { app } from './app.js';

await app.run({ port: Number(process.env.PORT ?? 5000), debug: true });
