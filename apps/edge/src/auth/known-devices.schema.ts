/** Devices (and agents) that have connected with a valid token: they get the offline grace. */
export const KNOWN_DEVICES_SCHEMA = `
  CREATE TABLE known_devices (
    device_id  TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
  ) STRICT;
`;
