/**
 * The config module of the port of Flask's tests/test_config.py (Flask reads those keys from its test module
 * itself): two upper-case keys, and a class whose name is not upper-case, so it must not become a key.
 * BSD-3-Clause, Copyright 2010 Pallets: see LICENSE-pallets.txt.
 */
export const TEST_KEY = 'foo';
export const SECRET_KEY = 'config';
export class TestConfig {}
