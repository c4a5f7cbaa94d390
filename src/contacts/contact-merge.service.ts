import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ContactView } from '../realtime/contracts/common.js';
import { ContactsService } from './contacts.service.js';

function pgCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/**
 * Links two contacts that staff know are one person: the source's handles, verified addresses,
 * conversations and uploads move to the target, so the customer's history lists conversations from
 * every channel; the source contact is removed. The target keeps its own profile fields and takes
 * the source's only where it has none.
 */
@Injectable()
export class ContactMergeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contacts: ContactsService,
  ) {}

  async merge(targetId: string, sourceId: string): Promise<ContactView> {
    if (targetId === sourceId) throw new BadRequestException('A contact cannot be merged into itself');
    try {
      await this.db.transaction(async (tx) => {
        // Lock both in a fixed order so two opposite merges cannot deadlock.
        const locked: { id: string }[] = await tx.query(
          `SELECT id FROM contact WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
          [[targetId, sourceId]],
        );
        if (locked.length !== 2) throw new NotFoundException('No such contact');
        await tx.query(`UPDATE contact_identity SET contact_id = $1 WHERE contact_id = $2`, [
          targetId,
          sourceId,
        ]);
        await tx.query(`UPDATE contact_verified_address SET contact_id = $1 WHERE contact_id = $2`, [
          targetId,
          sourceId,
        ]);
        await tx.query(`UPDATE conversation SET contact_id = $1 WHERE contact_id = $2`, [targetId, sourceId]);
        await tx.query(
          `UPDATE attachment SET uploader_id = $1 WHERE uploader_kind = 'customer' AND uploader_id = $2`,
          [targetId, sourceId],
        );
        await tx.query(
          `UPDATE contact t SET
             display_name = COALESCE(t.display_name, s.display_name),
             email = COALESCE(t.email, s.email),
             phone = COALESCE(t.phone, s.phone),
             attributes = s.attributes || t.attributes,
             updated_at = now()
            FROM contact s WHERE t.id = $1 AND s.id = $2`,
          [targetId, sourceId],
        );
        await tx.query(`DELETE FROM contact WHERE id = $1`, [sourceId]);
      });
    } catch (error) {
      if (pgCode(error) === '23505') {
        throw new ConflictException(
          'Both contacts have an open conversation on the same site; close one first',
        );
      }
      if (pgCode(error) === '23503')
        throw new ConflictException('The source contact is still referenced and cannot be merged');
      throw error;
    }
    return this.contacts.view(targetId);
  }
}
