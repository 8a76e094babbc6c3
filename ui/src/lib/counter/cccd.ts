/**
 * "Fill from CCCD": maps the card data the core read from the QR code onto the reception form's fields
 * (the form takes the date of birth as dd/mm/yyyy text), and tells which filled fields would overwrite
 * something the clerk already typed differently.
 */
import type { CccdCard } from '../backend/counter';
import type { NewDossierInput } from '../validation/applicant';

/** The applicant fields the card fills. */
export type CardFields = Pick<NewDossierInput, 'fullName' | 'citizenId' | 'dateOfBirth' | 'address'>;

/** `yyyy-mm-dd` → `dd/mm/yyyy`; anything else is returned unchanged. */
export function isoToDayMonthYear(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/** The form fields for a card. */
export function cardToFields(card: CccdCard): CardFields {
  return {
    fullName: card.fullName,
    citizenId: card.citizenId,
    dateOfBirth: isoToDayMonthYear(card.dateOfBirth),
    address: card.address,
  };
}

/** The fields the card would change that the clerk had already filled with something else. */
export function overwrittenFields(current: Partial<CardFields>, card: CardFields): (keyof CardFields)[] {
  return (Object.keys(card) as (keyof CardFields)[]).filter((field) => {
    const now = (current[field] ?? '').trim();
    return now !== '' && now !== card[field].trim();
  });
}
