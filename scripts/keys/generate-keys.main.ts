import { generateEd25519KeyPair, generateEs256KeyPair, randomToken } from '@app/crypto';

/**
 * `npm run keys:generate`: fresh production secrets for the cloud's .env. The cluster public key
 * it prints is what every edge of this cloud needs (CLUSTER_PUBLIC_KEY_BASE64); the cloud also
 * serves it at GET /api/v1/keys.
 */
const command = generateEd25519KeyPair();
const cluster = generateEs256KeyPair();
console.log(`# cloud (.env of docker-compose.cloud.yml)
AUTH_JWT_SECRET=${randomToken(48)}
COMMAND_SIGNING_KEY=${command.privateKeyBase64}
COMMAND_SIGNING_KEY_ID=${command.keyId}
CLUSTER_SIGNING_KEY=${cluster.privateKeyBase64}

# every edge of this cloud (.env of docker-compose.edge.yml)
CLUSTER_PUBLIC_KEY_BASE64=${cluster.publicKeyBase64}`);
