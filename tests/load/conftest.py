"""Load test on a fresh real stack (make test-faults runs it; `make load-test` is the
same load as a script)."""
