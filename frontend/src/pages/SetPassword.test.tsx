import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { SetPassword } from './SetPassword';
import { fakeFetch, renderApp } from '../test/render';
import i18n from '../i18n';

beforeEach(async () => {
  await i18n.changeLanguage('en');
});

// Typing key by key through the form's inputs is slow on a busy machine: a longer limit.
describe('setting the password of an invitation', { timeout: 20_000 }, () => {
  it('sends the code and the password, and says when the code is refused', async () => {
    const calls = fakeFetch([
      { status: 401, body: { code: 'invalid_token', status: 401, title: 'Unauthorized', detail: 'x', instance: 'r', type: 'x' } },
      { status: 204, body: null },
    ]);
    const done = vi.fn();
    renderApp(<SetPassword onDone={done} onCancel={() => {}} />);
    await userEvent.type(screen.getByRole('textbox', { name: /Invitation code/ }), 'hvi_abc');
    await userEvent.type(screen.getByLabelText(/^New password/), 'a long passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Set my password' }));
    expect(await screen.findByText(/This invitation code is not valid/)).toBeInTheDocument();
    expect(done).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Set my password' }));
    await vi.waitFor(() => expect(done).toHaveBeenCalledOnce());
    const sent = calls.filter((c) => c.url.endsWith('/api/v1/auth/set-password'));
    expect(sent).toHaveLength(2);
    expect(sent[0]?.body).toEqual({ token: 'hvi_abc', password: 'a long passphrase' });
  });

  it('checks the form before calling the API', async () => {
    const calls = fakeFetch([]);
    renderApp(<SetPassword onDone={() => {}} onCancel={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Set my password' }));
    expect((await screen.findAllByText('Required')).length).toBe(2);
    expect(calls).toHaveLength(0);
  });
});
