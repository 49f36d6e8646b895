import { Token } from 'aws-cdk-lib';
import { PropsValidator } from '../core/validation';

// RDS refuses backup and maintenance windows shorter than 30 minutes, and a daily backup
// window that overlaps the weekly maintenance window - but only at deploy time, after
// minutes of waiting. These checks give the same answer at synth.

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const MINIMUM_MINUTES = 30;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const BACKUP_WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/i;

/** A span on a circle of `period` minutes: starts at `start`, lasts `length` (wraps past the end). */
interface Span {
  readonly start: number;
  readonly length: number;
}

/** The daily backup window `hh24:mi-hh24:mi` as minutes of the day, or undefined when malformed. */
export function parseBackupWindow(window: string): Span | undefined {
  const m = BACKUP_WINDOW.exec(window);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return { start, length: (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY };
}

/** The weekly maintenance window `ddd:hh24:mi-ddd:hh24:mi` as minutes of the week, or undefined when malformed. */
export function parseMaintenanceWindow(window: string): Span | undefined {
  const m = MAINTENANCE_WINDOW.exec(window);
  if (!m) return undefined;
  const start = DAYS.indexOf(m[1].toLowerCase()) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
  const end = DAYS.indexOf(m[4].toLowerCase()) * MINUTES_PER_DAY + Number(m[5]) * 60 + Number(m[6]);
  return { start, length: (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK };
}

/** Whether the daily backup window meets the weekly maintenance window on any day. */
export function windowsOverlap(backup: Span, maintenance: Span): boolean {
  for (let day = 0; day < 7; day++) {
    if (spansMeet({ start: day * MINUTES_PER_DAY + backup.start, length: backup.length }, maintenance, MINUTES_PER_WEEK)) return true;
  }
  return false;
}

/**
 * Check both windows: the format, at least 30 minutes each, and no overlap. Tokens are
 * skipped; the formats are reported once each.
 */
export function checkDatabaseWindows(v: PropsValidator, backupWindow: string | undefined, maintenanceWindow: string | undefined,
  defaults: { backup: string; maintenance: string }): void {
  const backupText = backupWindow ?? defaults.backup;
  const maintenanceText = maintenanceWindow ?? defaults.maintenance;
  if (Token.isUnresolved(backupText) || Token.isUnresolved(maintenanceText)) return;
  const backup = parseBackupWindow(backupText);
  const maintenance = parseMaintenanceWindow(maintenanceText);
  if (backupWindow !== undefined) {
    v.check(backup !== undefined, 'backup.preferredWindow', 'must be a UTC window hh24:mi-hh24:mi', backupWindow);
    v.check(backup === undefined || backup.length >= MINIMUM_MINUTES, 'backup.preferredWindow', `must last at least ${MINIMUM_MINUTES} minutes`, backupWindow);
  }
  if (maintenanceWindow !== undefined) {
    v.check(maintenance !== undefined, 'preferredMaintenanceWindow', 'must be a UTC window ddd:hh24:mi-ddd:hh24:mi', maintenanceWindow);
    v.check(maintenance === undefined || maintenance.length >= MINIMUM_MINUTES, 'preferredMaintenanceWindow', `must last at least ${MINIMUM_MINUTES} minutes`,
      maintenanceWindow);
  }
  if (backup && maintenance) {
    v.check(!windowsOverlap(backup, maintenance), 'preferredMaintenanceWindow',
      `must not overlap the daily backup window ${backupText} (RDS refuses overlapping windows at deploy time)`, maintenanceText);
  }
}

function spansMeet(a: Span, b: Span, period: number): boolean {
  // On a circle, two spans meet when either one's start lies inside the other.
  const inside = (point: number, span: Span) => (point - span.start + period) % period < span.length;
  return inside(a.start % period, b) || inside(b.start, { start: a.start % period, length: a.length });
}
