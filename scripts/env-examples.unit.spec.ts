import { composeVariables, parseEnvExample, renderMachineExample, type Machine } from './env-examples.mjs';

const machine: Machine = { example: 'deploy/box.env.example', compose: 'docker-compose.box.yml', sections: ['apps/hub', 'apps/agent'], where: 'a test box' };

const envExample = `# Header: not part of any section.

# ---------------------------------------------------------------- cloud (apps/cloud)
PORT=3000
LOG_LEVEL=info
# The cloud's secret.
AUTH_JWT_SECRET=

# ---------------------------------------------------------------- hub (apps/hub)
# The hub's port.
PORT=4001
# Where the hub keeps its data: compose decides.
HUB_DATA_DIR=./data
LOG_LEVEL=info
# A comment alone, about the next variables.
# Two variables under one comment, one of them forced.
HUB_RATE=500
HUB_DIR_OVERRIDE=x

# ---------------------------------------------------------------- agent (apps/agent)
# LOG_LEVEL as above.
CLOUD_URL=

# ---------------------------------------------------------------- docker compose (docker-compose.*.yml)
# The release.
POS_VERSION=
# Only the cloud's compose file uses this.
MYSQL_ROOT_PASSWORD=
`;

const composeText = `services:
  hub:
    image: pos/hub:\${POS_VERSION:?required}
    env_file: .env
    environment:
      HUB_DATA_DIR: /data/hub
      HUB_DIR_OVERRIDE: /data/x
  agent:
    image: pos/hub:\${POS_VERSION:?required}
    env_file: .env
    environment:
      EDGE_URL: http://127.0.0.1:\${PORT:-4001}
  sidecar:
    image: other:1.0
    environment:
      NOT_OURS: "1"
`;

describe('env-examples', () => {
  describe('parseEnvExample', () => {
    it('should read sections by their (key) and blocks of comments with their variables', () => {
      const sections = parseEnvExample(envExample);
      expect(sections.map((s) => s.key)).toEqual(['apps/cloud', 'apps/hub', 'apps/agent', 'docker-compose.*.yml']);
      const hub = sections[1]!;
      expect(hub.blocks.map((b) => [b.comments.length, b.variables.map((v) => v.name)])).toEqual([
        [1, ['PORT']],
        [1, ['HUB_DATA_DIR', 'LOG_LEVEL']],
        [2, ['HUB_RATE', 'HUB_DIR_OVERRIDE']],
      ]);
    });

    it('should refuse a line that is neither a comment nor NAME=value', () => {
      expect(() => parseEnvExample('# ---------------- x (apps/x)\nexport FOO=1\n')).toThrow('not a comment nor NAME=value: export FOO=1');
    });
  });

  describe('composeVariables', () => {
    it('should take as forced the environment of the services that read .env only, and every interpolated name', () => {
      const { forced, interpolated } = composeVariables(composeText);
      expect([...forced].sort()).toEqual(['EDGE_URL', 'HUB_DATA_DIR', 'HUB_DIR_OVERRIDE']);
      expect([...interpolated].sort()).toEqual(['PORT', 'POS_VERSION']);
    });
  });

  describe('renderMachineExample', () => {
    it("should keep the machine's sections, without what compose forces, and only the compose variables it interpolates", () => {
      expect(renderMachineExample(machine, envExample, composeText)).toBe(`# The .env of a test box, for docker-compose.box.yml: cp deploy/box.env.example .env
# Generated from .env.example by \`node scripts/env-examples.mjs\`: edit that file, then run it.
# Every variable here reaches the apps (env_file: .env); an empty value leaves the default.
# docker-compose.box.yml sets these itself, whatever this file says: EDGE_URL, HUB_DATA_DIR,
#  HUB_DIR_OVERRIDE.

# ---------------------------------------------------------------- hub (apps/hub)
# The hub's port.
PORT=4001
# Where the hub keeps its data: compose decides.
LOG_LEVEL=info
# A comment alone, about the next variables.
# Two variables under one comment, one of them forced.
HUB_RATE=500

# ---------------------------------------------------------------- agent (apps/agent)
# LOG_LEVEL as above.
CLOUD_URL=

# ---------------------------------------------------------------- docker compose (docker-compose.*.yml)
# The release.
POS_VERSION=
`);
    });

    it('should drop a comment together with its variables when compose forces all of them', () => {
      const text = renderMachineExample(
        machine,
        envExample,
        composeText.replace('      HUB_DIR_OVERRIDE: /data/x\n', '      HUB_DIR_OVERRIDE: /data/x\n      HUB_RATE: "1"\n'),
      );
      expect(text).not.toContain('Two variables under one comment');
      expect(text).not.toMatch(/^HUB_RATE=/m);
    });

    it('should refuse a variable that two sections of one machine would both set', () => {
      const twice = envExample.replace('# LOG_LEVEL as above.\n', 'LOG_LEVEL=debug\n');
      expect(() => renderMachineExample(machine, twice, composeText)).toThrow('deploy/box.env.example: LOG_LEVEL would be set twice');
    });

    it('should refuse a machine whose section .env.example lacks', () => {
      expect(() => renderMachineExample({ ...machine, sections: ['apps/hub', 'apps/printer'] }, envExample, composeText)).toThrow(
        '.env.example has no section (apps/printer)',
      );
    });
  });
});
