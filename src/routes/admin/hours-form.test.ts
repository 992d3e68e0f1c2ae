import { describe, expect, it } from 'vitest';
import { describeHours, fromForm, hoursError, toForm } from './hours-form';

describe('[#15 B8] the admin hours editor', () => {
	it('[#15 B8] starts from the saved hours and gives them back unchanged', () => {
		const hours = { timeZone: 'Europe/Berlin', days: { mon: [['09:00', '12:00'], ['13:00', '17:00']] as [string, string][], sat: [['10:00', '12:00']] as [string, string][] } };
		const form = toForm(hours, 'UTC');
		expect(form.always).toBe(false);
		expect(form.days.tue).toEqual([]);
		expect(fromForm(form)).toEqual(hours);
	});
	it('[#15 B8] always open is null; choosing hours starts from office hours in the local zone', () => {
		const form = toForm(null, 'America/New_York');
		expect(fromForm(form)).toBeNull();
		expect(fromForm({ ...form, always: false })).toEqual({
			timeZone: 'America/New_York',
			days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]))
		});
		expect(fromForm({ ...form, always: false, timeZone: ' UTC ', days: { ...form.days, mon: [{ from: ' 8:00', to: '12:00 ' }] } })?.days.mon).toEqual([['8:00', '12:00']]);
	});
	it('[#15 B8] puts the server\'s refusal under the field it names', () => {
		expect(hoursError('hours.timeZone: unknown time zone "Mars/Olympus"')).toEqual({ field: 'timeZone', text: 'Unknown time zone "Mars/Olympus".' });
		expect(hoursError('hours.days.mon: 17:00–09:00 ends before it starts')).toEqual({ field: 'mon', text: '17:00–09:00 ends before it starts.' });
		expect(hoursError('hours.days.sat.0.1: Too big')).toEqual({ field: 'sat', text: 'Too big.' });
		// As the API client hands it over: already a sentence.
		expect(hoursError('Hours.days.tue: times must be HH:MM (00:00 to 24:00).')).toEqual({ field: 'tue', text: 'Times must be HH:MM (00:00 to 24:00).' });
		expect(hoursError('setting business hours needs the Customize Application permission')).toEqual({
			field: 'form', text: 'setting business hours needs the Customize Application permission'
		});
	});
	it('[#15 B8] summarises hours for the topics table', () => {
		expect(describeHours(null)).toBe('Always open');
		expect(describeHours({ timeZone: 'UTC', days: {} })).toBe('Closed every day (UTC)');
		const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]));
		expect(describeHours({ timeZone: 'Europe/Berlin', days: { ...week, sat: [['10:00', '12:00']] } })).toBe(
			'Mon–Fri 09:00–17:00; Sat 10:00–12:00 (Europe/Berlin)'
		);
		expect(describeHours({ timeZone: 'UTC', days: { mon: [['09:00', '12:00'], ['13:00', '17:00']], wed: [['09:00', '12:00'], ['13:00', '17:00']] } })).toBe(
			'Mon 09:00–12:00, 13:00–17:00; Wed 09:00–12:00, 13:00–17:00 (UTC)'
		);
	});
});
