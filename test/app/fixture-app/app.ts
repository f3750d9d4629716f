/** A small app module for tests that need a root folder with static files. */
import { App } from 'flagon';

export const app = new App(import.meta.url, { config: { TESTING: true } });
app.get('/', () => 'fixture');
