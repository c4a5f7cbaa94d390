import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { ConnectorAccount } from '../connectors/connector.js';
import { connectorFor, connectorNames } from '../connectors/registry.js';
import { accountProblems } from './account-rules.js';
import { ChannelAccount } from './channel-account.entity.js';
import type {
  ChannelAccountView,
  StartableChannelAccount,
  CreateChannelAccountDto,
  UpdateChannelAccountDto,
} from './channel-account.dto.js';
import { handleHint } from './handle-hint.js';
import { SecretBox } from './secret-box.js';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23503';
}

/** Channel accounts and their encrypted secrets. The only place secrets are decrypted. */
@Injectable()
export class ChannelAccountsService implements OnModuleInit {
  private readonly box?: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.channels.secretKey) this.box = new SecretBox(Buffer.from(config.channels.secretKey, 'base64'));
  }

  /** Accounts exist but the key to open their secrets is missing: refuse to start, saying why. */
  async onModuleInit(): Promise<void> {
    if (this.box) return;
    const [{ n }]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM channel_account WHERE secrets_ciphertext IS NOT NULL`,
    );
    if (n > 0) {
      throw new Error(
        `CHANNEL_SECRET_KEY is not set but ${n} channel account(s) have encrypted secrets; set it to the base64 key they were saved with`,
      );
    }
  }

  networks(): { name: string; channel: string; capabilities: unknown; accountSchema: unknown }[] {
    return connectorNames().map((name) => {
      const c = connectorFor(name)!;
      return {
        name: c.name,
        channel: c.channel,
        capabilities: c.capabilities,
        accountSchema: c.accountSchema,
      };
    });
  }

  async list(): Promise<ChannelAccountView[]> {
    const accounts = await this.db.getRepository(ChannelAccount).find({ order: { createdAt: 'ASC' } });
    return accounts.map((a) => this.view(a));
  }

  /**
   * The enabled accounts staff may start conversations on, with how a handle is written there. Only
   * what the console shows: no settings, no secret names, no provider ids.
   */
  async startable(): Promise<StartableChannelAccount[]> {
    const accounts = await this.db
      .getRepository(ChannelAccount)
      .find({ where: { enabled: true }, order: { name: 'ASC', createdAt: 'ASC' } });
    return accounts
      .filter((a) => connectorFor(a.network))
      .map((a) => ({ id: a.id, network: a.network, name: a.name, handleHint: handleHint(a.network) }));
  }

  async get(id: string): Promise<ChannelAccountView> {
    return this.view(await this.entity(id));
  }

  async create(input: CreateChannelAccountDto): Promise<ChannelAccountView> {
    const connector = connectorFor(input.network);
    if (!connector)
      throw new BadRequestException(
        `Unknown network "${input.network}" (known: ${connectorNames().join(', ')})`,
      );
    const settings = input.settings ?? {};
    const secrets = input.secrets ?? {};
    const problems = accountProblems(connector.accountSchema, settings, secrets, true);
    if (problems.length > 0) throw new BadRequestException(problems);
    const box = this.requireBox(secrets);
    try {
      return await this.db.transaction(async (tx) => {
        const account = await tx.getRepository(ChannelAccount).save({
          network: input.network,
          name: input.name,
          externalId: input.externalId,
          defaultQueueId: input.defaultQueueId,
          settings,
          enabled: input.enabled ?? true,
          secretNames: Object.keys(secrets).sort(),
        });
        const sealed = box && Object.keys(secrets).length > 0 ? box.seal(secrets, account.id) : null;
        await tx.update(ChannelAccount, { id: account.id }, { secretsCiphertext: sealed });
        return this.view(account);
      });
    } catch (error) {
      throw this.translate(error);
    }
  }

  async update(id: string, input: UpdateChannelAccountDto): Promise<ChannelAccountView> {
    try {
      return await this.db.transaction(async (tx) => {
        const account = await tx
          .getRepository(ChannelAccount)
          .createQueryBuilder('a')
          .addSelect('a.secretsCiphertext')
          .where('a.id = :id', { id })
          .setLock('pessimistic_write')
          .getOne();
        if (!account) throw new NotFoundException('No such channel account');
        const connector = connectorFor(account.network);
        if (!connector)
          throw new ConflictException(`The network "${account.network}" is no longer available`);
        const current = account.secretsCiphertext ? this.openBox().open(account.secretsCiphertext, id) : {};
        const secrets = { ...current, ...(input.secrets ?? {}) };
        for (const [name, value] of Object.entries(secrets)) if (value === '') delete secrets[name];
        const settings = input.settings ?? account.settings;
        const problems = accountProblems(connector.accountSchema, settings, secrets, true);
        if (problems.length > 0) throw new BadRequestException(problems);
        const box = this.requireBox(secrets);
        await tx.update(
          ChannelAccount,
          { id },
          {
            name: input.name ?? account.name,
            defaultQueueId: input.defaultQueueId ?? account.defaultQueueId,
            enabled: input.enabled ?? account.enabled,
            settings,
            secretNames: Object.keys(secrets).sort(),
            secretsCiphertext: box && Object.keys(secrets).length > 0 ? box.seal(secrets, id) : null,
          },
        );
        return this.view(await tx.findOneByOrFail(ChannelAccount, { id }));
      });
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * The account as its connector sees it, secrets decrypted. For the webhook, delivery and media paths
   * only; the result must never be logged or returned.
   */
  async connectorAccount(
    id: string,
  ): Promise<(ConnectorAccount & { enabled: boolean; defaultQueueId: string }) | null> {
    const account = await this.db
      .getRepository(ChannelAccount)
      .createQueryBuilder('a')
      .addSelect('a.secretsCiphertext')
      .where('a.id = :id', { id })
      .getOne();
    if (!account) return null;
    const secrets = account.secretsCiphertext ? this.openBox().open(account.secretsCiphertext, id) : {};
    return {
      id: account.id,
      network: account.network,
      externalId: account.externalId,
      settings: account.settings,
      secrets,
      enabled: account.enabled,
      defaultQueueId: account.defaultQueueId,
    };
  }

  private openBox(): SecretBox {
    if (!this.box) throw new Error('CHANNEL_SECRET_KEY is not set');
    return this.box;
  }

  private requireBox(secrets: Record<string, string>): SecretBox | undefined {
    if (Object.keys(secrets).length === 0) return this.box;
    if (!this.box)
      throw new ConflictException('Channel secrets cannot be stored: the server has no CHANNEL_SECRET_KEY');
    return this.box;
  }

  private async entity(id: string): Promise<ChannelAccount> {
    const account = await this.db.getRepository(ChannelAccount).findOneBy({ id });
    if (!account) throw new NotFoundException('No such channel account');
    return account;
  }

  private translate(error: unknown): unknown {
    if (isUniqueViolation(error))
      return new ConflictException('An account with this network and external id exists');
    if (isForeignKeyViolation(error)) return new BadRequestException('defaultQueueId is not a queue');
    return error;
  }

  private view(a: ChannelAccount): ChannelAccountView {
    return {
      id: a.id,
      network: a.network,
      name: a.name,
      externalId: a.externalId,
      defaultQueueId: a.defaultQueueId,
      settings: a.settings,
      secretsSet: a.secretNames,
      enabled: a.enabled,
      webhookPath: `/webhooks/${a.network}/${a.id}`,
      createdAt: a.createdAt.toISOString(),
    };
  }
}
