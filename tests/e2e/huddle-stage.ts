import { fillStartForm, say, signInAvailable, type Stage } from './browser';
import { recordWire } from './wire-recorder';

/**
 * Issue 14's stage: a customer on a phone (its page recorded, every frame and HTTP body), Ada
 * who accepted the chat, and Grace, who joined it through a conference request.
 */
export async function conference(s: Stage) {
	const ada = await signInAvailable(s, 'ada@parley.test');
	const customerPage = await s.open(390, 844, '/chat');
	const wire = await recordWire(customerPage);
	const customer = await fillStartForm(customerPage, 'Pat Lee', 'Billing');
	await ada.getByTestId('offer').getByTestId('offer-accept').click();
	await ada.getByTestId('conference-open').waitFor();
	await say(customer, 'Hi, I was charged twice.');
	const grace = await signInAvailable(s, 'grace@parley.test');
	await ada.getByTestId('conference-open').click();
	const dialog = ada.getByTestId('request-dialog');
	await dialog.getByTestId('request-query').fill('gra');
	await dialog.locator('[data-testid="agent-option"][data-agent-id="grace"]').click();
	await dialog.getByTestId('request-submit').click();
	await grace.locator('[data-testid="offer"][data-request="conference"]').getByTestId('offer-accept').click();
	await grace.getByTestId('conversation').waitFor();
	await customer.getByTestId('notice').filter({ hasText: 'Grace joined the chat' }).waitFor();
	return { ada, grace, customer, wire };
}
