import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TextInput } from '@mantine/core';
import { z } from 'zod';
import { ApiProblem } from '../api/problem';
import { useZodForm } from './useZodForm';
import { renderApp } from '../test/render';
import i18n from '../i18n';

const schema = z.object({
  'details.gender': z.string().min(1, 'validation.required'),
  'details.nationality': z.string().max(2, 'validation.too_long'),
});

function Form({ action }: { action: () => Promise<void> }) {
  const form = useZodForm(schema, { 'details.gender': '', 'details.nationality': '' });
  return (
    <form onSubmit={form.onSubmit(action)} noValidate>
      <TextInput label="Gender" value={form.values['details.gender']} onChange={(e) => form.set('details.gender', e.currentTarget.value)} error={form.error('details.gender')} />
      <TextInput label="Nationality" value={form.values['details.nationality']} onChange={(e) => form.set('details.nationality', e.currentTarget.value)} error={form.error('details.nationality')} />
      {form.formError && <p role="alert">{form.formError}</p>}
      <button type="submit">Save</button>
    </form>
  );
}

/** A 422 problem naming `errors`, as the API sends it. */
const validationProblem = (errors: { field: string; message: string }[]) =>
  new ApiProblem(422, {
    type: 'urn:haven:problem:validation_failed',
    title: 'Validation failed',
    status: 422,
    code: 'validation_failed',
    detail: 'Some fields are invalid; see `errors`.',
    instance: 'req',
    errors,
  });

describe('forms', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('show the schema’s messages in the user’s language and call nothing', async () => {
    const action = vi.fn(async () => {});
    await i18n.changeLanguage('fr');
    renderApp(<Form action={action} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Obligatoire')).toBeInTheDocument();
    expect(action).not.toHaveBeenCalled();
  });

  it('put the API problem’s errors[] on the fields they name', async () => {
    const action = vi.fn(async () => {
      throw validationProblem([{ field: 'details.nationality', message: 'is not a known country code' }, { field: 'details.gender', message: 'is required' }]);
    });
    renderApp(<Form action={action} />);
    await userEvent.type(screen.getByLabelText('Gender'), 'x');
    await userEvent.type(screen.getByLabelText('Nationality'), 'ZZ');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('is not a known country code')).toBeInTheDocument();
    expect(screen.getByLabelText('Nationality')).toHaveAttribute('aria-invalid', 'true');
    // The API's messages are shown as they come (the API writes them in the user's language).
    expect(screen.getByText('is required')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need attention.');
  });

  it('take the form-level message away once every field it points at is corrected', async () => {
    const action = vi.fn(async () => {
      throw validationProblem([{ field: 'details.nationality', message: 'is not a known country code' }, { field: 'details.gender', message: 'is not a known gender' }]);
    });
    renderApp(<Form action={action} />);
    await userEvent.type(screen.getByLabelText('Gender'), 'x');
    await userEvent.type(screen.getByLabelText('Nationality'), 'ZZ');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Some fields need attention.');
    await userEvent.type(screen.getByLabelText('Nationality'), '{backspace}');
    expect(screen.getByRole('alert')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Gender'), 'y');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keep it while it names a field the form does not show', async () => {
    const action = vi.fn(async () => {
      throw validationProblem([{ field: 'details.gender', message: 'is not a known gender' }, { field: 'details.birth_year', message: 'is out of range' }]);
    });
    renderApp(<Form action={action} />);
    await userEvent.type(screen.getByLabelText('Gender'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('details.birth_year: is out of range');
    await userEvent.type(screen.getByLabelText('Gender'), 'y');
    expect(screen.getByRole('alert')).toHaveTextContent('details.birth_year');
  });
});
