import { ADMIN, http, login, PASSWORD, SITE_ORIGIN } from './clients.js';
import type { TestNode } from './test-app.js';

export interface Organisation {
  adminToken: string;
  queues: { claims: string; billing: string };
  agents: { id: string; email: string; token: string }[];
  siteKey: string;
  siteId: string;
}

/**
 * A small insurer set up through the admin API, as an admin would: two queues, `agentCount` agents in
 * Claims (the first also in Billing), and a website whose pre-chat form asks for a policy number.
 */
export async function createOrganisation(
  node: TestNode,
  options: { agentCount?: number; capacity?: number; strategy?: 'longest_idle' | 'least_busy' | 'round_robin' | 'manual' } = {},
): Promise<Organisation> {
  const adminToken = await login(node, ADMIN.email, ADMIN.password);
  const post = async (path: string, body: unknown) => {
    const result = await http(node, 'POST', path, { token: adminToken, body });
    if (result.status !== 201) throw new Error(`${path}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  };
  const claims = await post('/admin/queues', {
    name: 'Claims',
    strategy: options.strategy ?? 'longest_idle',
    requiredSkills: ['claims'],
    slaTargetSeconds: 60,
  });
  const billing = await post('/admin/queues', { name: 'Billing', strategy: 'least_busy' });
  const agents = [];
  for (let i = 0; i < (options.agentCount ?? 2); i++) {
    const email = `agent${i}@test.example`;
    const staff = await post('/admin/staff', {
      email,
      displayName: `Agent ${i}`,
      password: PASSWORD,
      role: 'agent',
      capacity: options.capacity ?? 2,
      skills: { claims: 3 },
      queueIds: i === 0 ? [claims.id, billing.id] : [claims.id],
    });
    agents.push({ id: staff.id as string, email, token: await login(node, email, PASSWORD) });
  }
  const site = await post('/admin/sites', {
    name: 'Acme Insurance',
    allowedOrigins: [SITE_ORIGIN],
    defaultQueueId: claims.id,
    prechatFields: [
      { name: 'name', label: 'Name', type: 'text', required: true },
      { name: 'policyNumber', label: 'Policy number', type: 'text', required: true, maxLength: 20 },
      { name: 'claimType', label: 'Claim type', type: 'select', required: false, options: ['Car', 'Home'] },
    ],
  });
  return { adminToken, queues: { claims: claims.id, billing: billing.id }, agents, siteKey: site.publicKey, siteId: site.id };
}

export const ADMIN_ENV = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };

/** Sam, a supervisor of the organisation, created through the admin API; returns his id and token. */
export async function createSupervisor(node: TestNode, org: Organisation): Promise<{ id: string; token: string }> {
  const email = 'sam@test.example';
  const created = await http(node, 'POST', '/admin/staff', {
    token: org.adminToken,
    body: { email, displayName: 'Sam Supervisor', password: PASSWORD, role: 'supervisor' },
  });
  if (created.status !== 201) throw new Error(`/admin/staff: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.id as string, token: await login(node, email, PASSWORD) };
}
