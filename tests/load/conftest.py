"""Load test on a fresh real stack (make test-faults runs it; `make load-test` is the
same load as a script)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "load: load test on the real stack (make test-faults)")
