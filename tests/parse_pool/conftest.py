import signal

import pytest


@pytest.fixture(autouse=True)
def ctrl_c_as_a_shell_gives_it():
    """The Ctrl-C tests start fresh processes and send them SIGINT; an ignored SIGINT is inherited
    across exec, so a test earlier in the same pytest process that left SIGINT ignored made all of
    them fail (the children never saw the signal). Each test here starts its children with SIGINT
    as a shell gives it, and puts back what it found."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
