import { Inject, Injectable, Logger } from '@nestjs/common';
import { StaffService } from '../auth/staff.service.js';
import type { StaffRole } from '../auth/staff-user.entity.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AgentsService } from '../routing/agents.service.js';
import { CannedRepliesService } from '../canned-replies/canned-replies.service.js';
import { QueuesService } from '../routing/queues.service.js';
import { SitesService } from '../sites/sites.service.js';

export const DEMO_SITE_KEY = 'demo-insurer';

interface DemoPerson {
  email: string;
  password: string;
  displayName: string;
  role: StaffRole;
  skills: Record<string, number>;
  queues: string[];
}

/** Demo-only accounts: the passwords are printed on purpose and must never be used in production. */
const PEOPLE: DemoPerson[] = [
  { email: 'admin@demo.switchboard.local', password: 'demo-admin-password', displayName: 'Alex Admin', role: 'admin', skills: {}, queues: [] },
  { email: 'supervisor@demo.switchboard.local', password: 'demo-supervisor-password', displayName: 'Sam Supervisor', role: 'supervisor', skills: {}, queues: [] },
  { email: 'ana@demo.switchboard.local', password: 'demo-agent-password', displayName: 'Ana Agent', role: 'agent', skills: { claims: 3, billing: 2 }, queues: ['Claims', 'Billing'] },
  { email: 'ben@demo.switchboard.local', password: 'demo-agent-password', displayName: 'Ben Agent', role: 'agent', skills: { claims: 2 }, queues: ['Claims'] },
];

export interface DemoInfo {
  created: boolean;
  logins: { email: string; password: string; role: StaffRole }[];
  siteKey: string;
}

const CANNED_REPLIES = [
  {
    shortcut: 'hello',
    title: 'Greeting',
    body: 'Hello, thank you for contacting Acme Mutual. I am looking at your claim now.',
  },
  {
    shortcut: 'photos',
    title: 'Ask for photos',
    body: 'Could you send a few photos of the damage? Wide shots first, then close-ups.',
  },
  {
    shortcut: 'policy',
    title: 'Confirm the policy number',
    body: 'Could you confirm your policy number? It is on the first page of your policy documents.',
  },
  {
    shortcut: 'next',
    title: 'Next steps',
    body: 'Your claim is registered. An adjuster will contact you within two working days; you will receive the claim number by email.',
  },
];

@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly staff: StaffService,
    private readonly agents: AgentsService,
    private readonly queues: QueuesService,
    private readonly sites: SitesService,
    private readonly cannedReplies: CannedRepliesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Seeds the demo organisation once (its site key marks it); later starts only print the logins. */
  async seed(): Promise<DemoInfo> {
    const info: DemoInfo = {
      created: false,
      siteKey: DEMO_SITE_KEY,
      logins: PEOPLE.map((p) => ({ email: p.email, password: p.password, role: p.role })),
    };
    if (await this.sites.findByKey(DEMO_SITE_KEY)) return info;

    const claims =
      (await this.queues.findByName('Claims')) ??
      (await this.queues.create({ name: 'Claims', strategy: 'longest_idle', requiredSkills: ['claims'], slaTargetSeconds: 60, priority: 10 }));
    const billing =
      (await this.queues.findByName('Billing')) ??
      (await this.queues.create({ name: 'Billing', strategy: 'least_busy', requiredSkills: ['billing'], slaTargetSeconds: 120, priority: 0 }));
    const queueIds = new Map([
      ['Claims', claims.id],
      ['Billing', billing.id],
    ]);
    for (const person of PEOPLE) {
      if (await this.staff.existsByEmail(person.email)) continue;
      const user = await this.staff.create(person);
      await this.agents.configure(user.id, {
        capacity: 3,
        skills: person.skills,
        queueIds: person.queues.map((name) => queueIds.get(name) as string),
      });
    }
    for (const reply of CANNED_REPLIES) await this.cannedReplies.create(reply);
    const { port } = this.config.http;
    const pagePort = this.config.demoSitePort;
    await this.sites.create(
      {
        name: 'Acme Mutual Insurance (demo)',
        allowedOrigins: [`http://localhost:${pagePort}`, `http://127.0.0.1:${pagePort}`, `http://localhost:${port}`],
        defaultQueueId: claims.id,
        prechatFields: [
          { name: 'name', label: 'Your name', type: 'text', required: true, maxLength: 80 },
          { name: 'email', label: 'Email', type: 'email', required: true },
          { name: 'policyNumber', label: 'Policy number', type: 'text', required: true, maxLength: 20 },
          { name: 'claimType', label: 'Claim type', type: 'select', required: true, options: ['Car', 'Home', 'Travel', 'Health'] },
          { name: 'incidentDate', label: 'Date of the incident', type: 'date', required: false },
        ],
        locale: null,
        appearance: { primaryColor: '#0b5394', title: 'Acme Mutual claims', position: 'right', launcherLabel: 'Report a claim' },
        greeting: {
          en: 'Hello! Tell us what happened and we will get your claim started. Photos of the damage help.',
          es: '¡Hola! Cuéntenos qué ha pasado y pondremos en marcha su siniestro. Las fotos de los daños ayudan.',
        },
      },
      DEMO_SITE_KEY,
    );
    this.logger.log('seeded the demo organisation');
    return { ...info, created: true };
  }
}
