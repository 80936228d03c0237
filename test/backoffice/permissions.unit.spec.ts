import { SYNC_DOMAINS, type OperatorRoleName } from '@app/contracts';
import { permissionsOf } from '../../apps/backoffice/src/auth/permissions.js';

/** What the backoffice offers each role must match what the cloud allows (SYSTEM.md 4.4, the route guards). */
describe('the backoffice role permissions', () => {
  const offered = (role: OperatorRoleName) => {
    const can = permissionsOf(role);
    return {
      publish: SYNC_DOMAINS.filter((d) => can.publish(d)),
      retry: can.retryCommands,
      stores: can.manageStores,
      nodes: can.manageNodes,
      deviceTokens: can.issueDeviceTokens,
    };
  };

  it.each([
    ['ADMIN', { publish: ['settings', 'menu', 'users', 'roles'], retry: true, stores: true, nodes: true, deviceTokens: true }],
    ['MENU_EDITOR', { publish: ['menu'], retry: false, stores: false, nodes: false, deviceTokens: false }],
    ['SUPPORT', { publish: [], retry: true, stores: false, nodes: false, deviceTokens: false }],
    ['VIEWER', { publish: [], retry: false, stores: false, nodes: false, deviceTokens: false }],
  ] as const)('should offer %s what the cloud lets it do', (role, expected) => {
    expect(offered(role)).toEqual(expected);
  });
});
