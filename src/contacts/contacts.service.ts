import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { ContactView } from '../realtime/contracts/common.js';
import { Contact, ContactIdentity, type ChannelKind } from './contact.entity.js';

export interface ContactProfile {
  displayName?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** A customer handle on a messaging network, with what the network verified about its owner. */
export interface ChannelHandle {
  externalId: string;
  displayName?: string;
  /** E.164 phone number the network verified (WhatsApp, SMS). Never form input. */
  verifiedPhone?: string;
  /** Email address the network verified. Never form input. */
  verifiedEmail?: string;
}

@Injectable()
export class ContactsService {
  constructor(
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
    @InjectRepository(ContactIdentity) private readonly identities: Repository<ContactIdentity>,
  ) {}

  /**
   * The contact behind a channel handle, created on first contact. Safe under concurrency: the
   * (channel, external_id) constraint decides the winner and the loser reads the winner's row.
   */
  async findOrCreateByIdentity(
    manager: EntityManager,
    channel: ChannelKind,
    externalId: string,
    profile: ContactProfile = {},
  ): Promise<string> {
    const existing = await this.contactByIdentity(manager, channel, externalId);
    if (existing) {
      await this.fillProfile(manager, existing, profile);
      return existing.id;
    }
    // Contact and handle in one statement; when another request created the handle first, the
    // contact made here is left without a handle and removed.
    const [created]: { new_id: string; contact_id: string | null }[] = await manager.query(
      `WITH c AS (
         INSERT INTO contact (display_name, email, phone) VALUES ($3, $4, $5) RETURNING id
       ), i AS (
         INSERT INTO contact_identity (contact_id, channel, external_id) SELECT id, $1, $2 FROM c
         ON CONFLICT (channel, external_id) DO NOTHING RETURNING contact_id
       )
       SELECT c.id AS new_id, i.contact_id FROM c LEFT JOIN i ON true`,
      [channel, externalId, profile.displayName ?? null, profile.email ?? null, profile.phone ?? null],
    );
    if (created.contact_id) return created.contact_id;
    await manager.delete(Contact, { id: created.new_id });
    const winner = await this.contactByIdentity(manager, channel, externalId);
    if (!winner) throw new Error('contact identity vanished while it was being created');
    return winner.id;
  }

  /**
   * The contact behind a messaging-network handle. A new handle joins the contact that already owns
   * the same provider-verified phone number or email (so one person on WhatsApp and SMS is one
   * contact); unverified data (pre-chat answers, profile names) never links contacts.
   */
  async findOrCreateForChannel(
    manager: EntityManager,
    channel: ChannelKind,
    handle: ChannelHandle,
  ): Promise<string> {
    const profile = {
      displayName: handle.displayName ?? null,
      phone: handle.verifiedPhone ?? null,
      email: handle.verifiedEmail ?? null,
    };
    const existing = await this.contactByIdentity(manager, channel, handle.externalId);
    let contactId = existing?.id;
    if (existing) await this.fillProfile(manager, existing, profile);
    if (!contactId) {
      const owner = await this.verifiedOwner(manager, handle);
      if (owner) {
        await manager.query(
          `INSERT INTO contact_identity (contact_id, channel, external_id) VALUES ($1, $2, $3)
           ON CONFLICT (channel, external_id) DO NOTHING`,
          [owner, channel, handle.externalId],
        );
        contactId = (await this.contactByIdentity(manager, channel, handle.externalId))?.id;
      }
    }
    contactId ??= await this.findOrCreateByIdentity(manager, channel, handle.externalId, profile);
    await this.recordVerified(manager, contactId, channel, handle);
    return contactId;
  }

  private async verifiedOwner(manager: EntityManager, handle: ChannelHandle): Promise<string | null> {
    const rows: { contact_id: string }[] = await manager.query(
      `SELECT contact_id FROM contact_verified_address
        WHERE (kind = 'phone' AND value = $1) OR (kind = 'email' AND value = $2)
        ORDER BY kind DESC LIMIT 1`,
      [handle.verifiedPhone ?? null, handle.verifiedEmail?.toLowerCase() ?? null],
    );
    return rows[0]?.contact_id ?? null;
  }

  private async recordVerified(
    manager: EntityManager,
    contactId: string,
    channel: ChannelKind,
    handle: ChannelHandle,
  ): Promise<void> {
    const rows = [
      ['phone', handle.verifiedPhone],
      ['email', handle.verifiedEmail?.toLowerCase()],
    ].filter((r): r is [string, string] => Boolean(r[1]));
    for (const [kind, value] of rows) {
      await manager.query(
        `INSERT INTO contact_verified_address (kind, value, contact_id, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, value) DO NOTHING`,
        [kind, value, contactId, channel],
      );
    }
  }

  async findByIdentity(channel: ChannelKind, externalId: string): Promise<Contact | null> {
    return this.contactByIdentity(this.contacts.manager, channel, externalId);
  }

  async view(contactId: string): Promise<ContactView> {
    const [contact, identities] = await Promise.all([
      this.contacts.findOneBy({ id: contactId }),
      this.identities.find({ where: { contactId }, order: { createdAt: 'ASC' } }),
    ]);
    if (!contact) throw new NotFoundException('No such contact');
    return {
      id: contact.id,
      displayName: contact.displayName,
      email: contact.email,
      phone: contact.phone,
      identities: identities.map((i) => ({ channel: i.channel, externalId: i.externalId })),
    };
  }

  private async contactByIdentity(
    manager: EntityManager,
    channel: ChannelKind,
    externalId: string,
  ): Promise<Contact | null> {
    return manager
      .createQueryBuilder(Contact, 'c')
      .innerJoin(ContactIdentity, 'i', 'i.contact_id = c.id')
      .where('i.channel = :channel AND i.external_id = :externalId', { channel, externalId })
      .getOne();
  }

  /** Fills blanks from what the customer told us; never overwrites what staff may have corrected. */
  private async fillProfile(
    manager: EntityManager,
    contact: Contact,
    profile: ContactProfile,
  ): Promise<void> {
    const patch: Partial<Contact> = {};
    if (!contact.displayName && profile.displayName) patch.displayName = profile.displayName;
    if (!contact.email && profile.email) patch.email = profile.email;
    if (!contact.phone && profile.phone) patch.phone = profile.phone;
    if (Object.keys(patch).length > 0) await manager.update(Contact, { id: contact.id }, patch);
  }
}
