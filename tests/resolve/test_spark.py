"""The same settings on Splink's Spark backend, in local mode (skipped without pyspark)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

pytest.importorskip("pyspark", reason="pip install 'netintel[spark]' to test the Spark path")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (17 or later) on PATH", allow_module_level=True)

from netintel.resolve import resolve_people
from netintel.resolve.model import spark_session

# pyspark warns about pandas 3 and deprecated keywords: noise for this test
pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[1]", spark_sql_shuffle_partitions="2")
    yield session
    session.stop()


def test_spark_gives_the_duckdb_result(spark):
    people = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4", "p5"],
            "name": [
                "Nguyễn Văn Hùng",
                "Nguyen Van Hung",
                "Trần Thị Lan",
                "Tran Thi Lan",
                "Souksavanh Vongsa",
            ],
            "dob": ["1987-05-14", "1987-05-14", "1990-01-01", "1991-02-02", None],
            "national_id": ["040087000001", None, None, None, "071609149"],
            "phones": [["+84912345678"], [], [], [], []],
            "sources": [["A1"], ["A2"], ["A3"], ["A4"], ["A5"]],
        }
    )
    on_spark = resolve_people(people, spark=spark)
    local = resolve_people(people)
    assert on_spark.model.engine == "spark" and local.model.engine == "duckdb"
    pd.testing.assert_frame_equal(
        on_spark.assignments[["person_id", "resolved_id"]],
        local.assignments[["person_id", "resolved_id"]],
    )
    rid = on_spark.assignments.set_index("person_id")["resolved_id"]
    assert rid["p1"] == rid["p2"] and rid["p3"] != rid["p4"]
