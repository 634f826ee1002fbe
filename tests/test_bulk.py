"""Full collections are rarer during a build, and the caller's thresholds always come back."""

import gc

import pytest

from graph_builder.bulk import bulk, in_bulk


def test_thresholds_come_back_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(ValueError):
        with bulk():
            assert gc.get_threshold()[1:] == (max(before[1], 100), max(before[2], 100))
            raise ValueError("boom")
    assert gc.get_threshold() == before


def test_nested_and_a_callers_own_thresholds_are_kept():
    before = gc.get_threshold()
    try:
        gc.set_threshold(5000, 500, 500)  # a caller that already collects rarely is not made to collect more
        with bulk():
            with bulk():
                assert gc.get_threshold() == (5000, 500, 500)
        assert gc.get_threshold() == (5000, 500, 500)
    finally:
        gc.set_threshold(*before)


def test_decorated_function_keeps_its_name_and_result():
    @in_bulk
    def oldest_threshold(x: int) -> tuple[int, int]:
        """The oldest generation's threshold within the call, and x."""
        return gc.get_threshold()[2], x

    assert oldest_threshold(7) == (max(gc.get_threshold()[2], 100), 7)
    assert oldest_threshold.__name__ == "oldest_threshold" and oldest_threshold.__doc__.startswith("The oldest")


def test_a_build_leaves_the_collector_as_it_was():
    from graph_builder import build_from_texts

    before = gc.get_threshold()
    kg = build_from_texts(["Haftar rejected the initiative."])
    assert gc.get_threshold() == before and len(kg.triples) == 1


def test_threads_leaving_out_of_order_leave_the_callers_thresholds():
    import threading

    before = gc.get_threshold()
    entered, release_first, first_left = threading.Event(), threading.Event(), threading.Event()

    def first():
        with bulk():
            entered.set()
            release_first.wait(5)
        first_left.set()

    thread = threading.Thread(target=first)
    thread.start()
    entered.wait(5)
    with bulk():  # entered after the other thread, left after it
        release_first.set()
        first_left.wait(5)
        assert gc.get_threshold()[2] >= 100  # still within one bulk(): still raised
    thread.join(5)
    assert gc.get_threshold() == before


def test_a_process_forked_within_bulk_starts_with_the_callers_thresholds():
    import multiprocessing

    before = gc.get_threshold()
    with bulk():
        with multiprocessing.get_context("fork").Pool(1) as pool:
            assert tuple(pool.apply(gc.get_threshold)) == before
