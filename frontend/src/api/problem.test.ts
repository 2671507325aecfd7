import { ApiProblem, problemDetail } from './problem';

describe('problemDetail', () => {
  it("shows the API's detail, else the problem's status, else the fallback", () => {
    expect(problemDetail(new ApiProblem(409, { code: 'conflict', detail: 'A case keeps at least one team member.', status: 409, title: 'Conflict', type: 'about:blank' } as never), 'x')).toBe(
      'A case keeps at least one team member.',
    );
    expect(problemDetail(new ApiProblem(503, null), 'x')).toBe('HTTP 503');
    expect(problemDetail(new TypeError('Failed to fetch'), 'Network error')).toBe('Network error');
  });
});
