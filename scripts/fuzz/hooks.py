"""Schemathesis hooks for Haven's contract fuzzing (loaded by scripts/fuzz/run).

Signs in as the account named by HAVEN_FUZZ_EMAIL / HAVEN_FUZZ_PASSWORD and sends the access
token with every request. The token is fetched again every few minutes and whenever an answer
is 401 (a fuzzed `POST /auth/logout` ends the session the token belongs to), so one run is not
cut short by its own sign-out or by the 15-minute token lifetime.
"""

import os

import requests
import schemathesis

BASE = os.environ["HAVEN_FUZZ_BASE"]


@schemathesis.auth(refresh_interval=240)
class HavenLogin:
    def get(self, case, context):
        answer = requests.post(
            f"{BASE}/api/v1/auth/login",
            json={
                "email": os.environ["HAVEN_FUZZ_EMAIL"],
                "password": os.environ["HAVEN_FUZZ_PASSWORD"],
            },
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["access_token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
