import { jest } from '@jest/globals';

// testTimeout is a global Jest option that projects ignore; each tier sets its own here.
jest.setTimeout(120_000);
