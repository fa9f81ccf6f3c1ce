from setuptools import setup

setup(
    name="tap-front-mode",
    license="Apache-2.0",
    version="0.1.0",
    description="Singer taps for Front (tap-front) and Mode Analytics (tap-mode)",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.9,<3.14",
    packages=["tap_engine", "tap_front", "tap_mode", "tap_front.schemas", "tap_mode.schemas"],
    # The JSON schemas live in the top-level schemas/ folder and install inside each tap.
    package_dir={"tap_front.schemas": "schemas/front", "tap_mode.schemas": "schemas/mode"},
    package_data={"tap_front.schemas": ["*.json"], "tap_mode.schemas": ["*.json"]},
    install_requires=[
        "singer-python>=6.0,<7",
        "requests>=2.28,<3",
        "backoff>=2.2,<3",
        "pendulum>=3.0,<4",
    ],
    extras_require={
        "test": ["pytest>=7,<10", "fastjsonschema>=2.16,<3", "hypothesis>=6,<7", "ruff>=0.5,<1", "pyyaml>=5.4,<7"],
    },
    entry_points={
        "console_scripts": [
            "tap-front=tap_front:main",
            "tap-mode=tap_mode:main",
        ],
    },
    classifiers=[
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
)
