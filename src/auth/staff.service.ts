import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { In, type Repository } from 'typeorm';
import { StaffUser, type StaffRole } from './staff-user.entity.js';

export interface NewStaff {
  email: string;
  displayName: string;
  password: string;
  role: StaffRole;
}

export interface StaffChanges {
  displayName?: string;
  password?: string;
  role?: StaffRole;
  active?: boolean;
}

/** Staff accounts: who they are and how they sign in. Routing settings live in routing/. */
@Injectable()
export class StaffService {
  constructor(@InjectRepository(StaffUser) private readonly staff: Repository<StaffUser>) {}

  async create(input: NewStaff): Promise<StaffUser> {
    const email = input.email.toLowerCase();
    if (await this.staff.existsBy({ email })) throw new ConflictException(`${email} already has an account`);
    const saved = await this.staff.save(
      this.staff.create({
        email,
        displayName: input.displayName,
        passwordHash: await argon2.hash(input.password),
        role: input.role,
      }),
    );
    return this.get(saved.id);
  }

  async update(id: string, changes: StaffChanges): Promise<StaffUser> {
    const user = await this.get(id);
    if (changes.displayName !== undefined) user.displayName = changes.displayName;
    if (changes.role !== undefined) user.role = changes.role;
    if (changes.active !== undefined) user.active = changes.active;
    const patch: Partial<StaffUser> = { displayName: user.displayName, role: user.role, active: user.active };
    if (changes.password !== undefined) patch.passwordHash = await argon2.hash(changes.password);
    await this.staff.update(id, patch);
    return this.get(id);
  }

  async get(id: string): Promise<StaffUser> {
    const user = await this.staff.findOneBy({ id });
    if (!user) throw new NotFoundException('No such staff member');
    return user;
  }

  findActive(id: string): Promise<StaffUser | null> {
    return this.staff.findOneBy({ id, active: true });
  }

  list(): Promise<StaffUser[]> {
    return this.staff.find({ order: { displayName: 'ASC' } });
  }

  async displayNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.staff.find({ where: { id: In(ids) }, select: { id: true, displayName: true } });
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  /** The account with its password hash, for sign-in only. */
  findForLogin(email: string): Promise<StaffUser | null> {
    return this.staff
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('s.email = :email AND s.active', { email: email.toLowerCase() })
      .getOne();
  }

  existsByEmail(email: string): Promise<boolean> {
    return this.staff.existsBy({ email: email.toLowerCase() });
  }
}
