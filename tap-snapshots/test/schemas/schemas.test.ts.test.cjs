/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/schemas/schemas.test.ts > TAP > a change to any schema file is deliberate (snapshot; update with: npx tap --snapshot test/schemas) > every schema in schemas/ 1`] = `
{
  "ab-report": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/ab-report/v1.json",
    "title": "AbReport",
    "description": "GET /ab (and irisops ab report --json): per variant its accuracy on labelled answers, and the challenger tested against the champion",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "split_percent",
      "feedback_window",
      "champion",
      "challenger",
      "shadow",
      "test"
    ],
    "properties": {
      "split_percent": {
        "type": [
          "number",
          "null"
        ],
        "description": "the challenger's share of traffic; null without --challenger"
      },
      "feedback_window": {
        "type": "integer",
        "minimum": 0,
        "description": "answers kept to match feedback"
      },
      "champion": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "loaded",
          "model_name",
          "model_version",
          "model_uri",
          "requests",
          "labelled",
          "correct",
          "accuracy",
          "interval"
        ],
        "properties": {
          "loaded": {
            "type": "boolean"
          },
          "model_name": {
            "type": [
              "string",
              "null"
            ]
          },
          "model_version": {
            "type": [
              "string",
              "null"
            ]
          },
          "model_uri": {
            "type": "string",
            "description": "the URI given on the command line"
          },
          "requests": {
            "type": "integer",
            "minimum": 0,
            "description": "prediction requests it answered"
          },
          "labelled": {
            "type": "integer",
            "minimum": 0,
            "description": "answers whose true label arrived through /feedback"
          },
          "correct": {
            "type": "integer",
            "minimum": 0
          },
          "accuracy": {
            "type": [
              "number",
              "null"
            ],
            "minimum": 0,
            "maximum": 1
          },
          "interval": {
            "oneOf": [
              {
                "type": "null"
              },
              {
                "type": "array",
                "items": {
                  "type": "number",
                  "minimum": 0,
                  "maximum": 1
                },
                "minItems": 2,
                "maxItems": 2
              }
            ],
            "description": "95 % Wilson score interval of the accuracy"
          }
        }
      },
      "challenger": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "loaded",
              "model_name",
              "model_version",
              "model_uri",
              "requests",
              "labelled",
              "correct",
              "accuracy",
              "interval"
            ],
            "properties": {
              "loaded": {
                "type": "boolean"
              },
              "model_name": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "model_version": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "model_uri": {
                "type": "string",
                "description": "the URI given on the command line"
              },
              "requests": {
                "type": "integer",
                "minimum": 0,
                "description": "prediction requests it answered"
              },
              "labelled": {
                "type": "integer",
                "minimum": 0,
                "description": "answers whose true label arrived through /feedback"
              },
              "correct": {
                "type": "integer",
                "minimum": 0
              },
              "accuracy": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0,
                "maximum": 1
              },
              "interval": {
                "oneOf": [
                  {
                    "type": "null"
                  },
                  {
                    "type": "array",
                    "items": {
                      "type": "number",
                      "minimum": 0,
                      "maximum": 1
                    },
                    "minItems": 2,
                    "maxItems": 2
                  }
                ],
                "description": "95 % Wilson score interval of the accuracy"
              }
            }
          }
        ]
      },
      "shadow": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "loaded",
              "model_name",
              "model_version",
              "model_uri",
              "percent",
              "compared",
              "agreed",
              "failed",
              "skipped",
              "agreement"
            ],
            "properties": {
              "loaded": {
                "type": "boolean"
              },
              "model_name": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "model_version": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "model_uri": {
                "type": "string",
                "description": "the URI given on the command line"
              },
              "percent": {
                "type": "number",
                "minimum": 0,
                "maximum": 100
              },
              "compared": {
                "type": "integer",
                "minimum": 0,
                "description": "answers the shadow also predicted"
              },
              "agreed": {
                "type": "integer",
                "minimum": 0
              },
              "failed": {
                "type": "integer",
                "minimum": 0,
                "description": "shadow predictions that threw"
              },
              "skipped": {
                "type": "integer",
                "minimum": 0,
                "description": "sampled but dropped: too many shadow predictions were pending"
              },
              "agreement": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0,
                "maximum": 1
              }
            }
          }
        ]
      },
      "test": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "verdict",
          "p_value",
          "z",
          "difference",
          "alpha",
          "min_labels",
          "more_labels_needed"
        ],
        "properties": {
          "verdict": {
            "type": "string",
            "enum": [
              "challenger better",
              "champion better",
              "no significant difference yet"
            ]
          },
          "p_value": {
            "type": [
              "number",
              "null"
            ],
            "minimum": 0,
            "maximum": 1,
            "description": "two-sided two-proportion z-test, challenger against champion"
          },
          "z": {
            "type": [
              "number",
              "null"
            ]
          },
          "difference": {
            "type": [
              "number",
              "null"
            ],
            "minimum": -1,
            "maximum": 1,
            "description": "challenger accuracy minus champion accuracy"
          },
          "alpha": {
            "type": "number"
          },
          "min_labels": {
            "type": "integer",
            "description": "labels each variant needs before a difference is called"
          },
          "more_labels_needed": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "description": "roughly how many more labels (both variants together) a decision needs at 80 % power; 0 when decided, null when no estimate is possible"
          }
        }
      }
    }
  },
  "alias-history": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/alias-history/v1.json",
    "title": "AliasHistory",
    "description": "irisops registry history --json: the alias moves irisops recorded on a registered model (its irisops.alias_history.* tags), newest first",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "alias",
      "moves",
      "at"
    ],
    "properties": {
      "name": {
        "type": "string",
        "description": "registered model name"
      },
      "alias": {
        "type": [
          "string",
          "null"
        ],
        "description": "the alias the moves are filtered to; null: every alias"
      },
      "moves": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "time",
            "alias",
            "from",
            "to",
            "user",
            "via",
            "message",
            "reason"
          ],
          "properties": {
            "time": {
              "type": "string",
              "description": "when the alias moved, ISO 8601 in UTC"
            },
            "alias": {
              "type": "string"
            },
            "from": {
              "oneOf": [
                {
                  "type": "null"
                },
                {
                  "type": "string",
                  "pattern": "^[1-9][0-9]*$"
                }
              ],
              "description": "the version that held the alias before; null when none did"
            },
            "to": {
              "type": "string",
              "pattern": "^[1-9][0-9]*$"
            },
            "user": {
              "type": "string",
              "description": "operating-system user who moved it"
            },
            "via": {
              "type": "string",
              "enum": [
                "registry promote",
                "registry rollback",
                "ab promote",
                "ui"
              ],
              "description": "what moved it"
            },
            "message": {
              "type": [
                "string",
                "null"
              ],
              "description": "the --message given, if any"
            },
            "reason": {
              "type": [
                "string",
                "null"
              ],
              "description": "why irisops moved it: the A/B verdict for ab promote, the undone move for a rollback"
            }
          }
        }
      },
      "at": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "time",
              "version",
              "since"
            ],
            "properties": {
              "time": {
                "type": "string",
                "description": "the --at time asked about, ISO 8601 in UTC"
              },
              "version": {
                "oneOf": [
                  {
                    "type": "null"
                  },
                  {
                    "type": "string",
                    "pattern": "^[1-9][0-9]*$"
                  }
                ],
                "description": "the version that held the alias then; null when no recorded move had set it yet"
              },
              "since": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "time of the move that gave it that version"
              }
            }
          }
        ],
        "description": "with --at: which version held the alias at that time; null without --at"
      }
    },
    "$defs": {
      "move": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "time",
          "alias",
          "from",
          "to",
          "user",
          "via",
          "message",
          "reason"
        ],
        "properties": {
          "time": {
            "type": "string",
            "description": "when the alias moved, ISO 8601 in UTC"
          },
          "alias": {
            "type": "string"
          },
          "from": {
            "oneOf": [
              {
                "type": "null"
              },
              {
                "type": "string",
                "pattern": "^[1-9][0-9]*$"
              }
            ],
            "description": "the version that held the alias before; null when none did"
          },
          "to": {
            "type": "string",
            "pattern": "^[1-9][0-9]*$"
          },
          "user": {
            "type": "string",
            "description": "operating-system user who moved it"
          },
          "via": {
            "type": "string",
            "enum": [
              "registry promote",
              "registry rollback",
              "ab promote",
              "ui"
            ],
            "description": "what moved it"
          },
          "message": {
            "type": [
              "string",
              "null"
            ],
            "description": "the --message given, if any"
          },
          "reason": {
            "type": [
              "string",
              "null"
            ],
            "description": "why irisops moved it: the A/B verdict for ab promote, the undone move for a rollback"
          }
        }
      }
    }
  },
  "batch-request": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/batch-request/v1.json",
    "title": "BatchRequest",
    "description": "POST /predict/batch body: up to --max-batch flowers (default 1000; more is refused with 422). Properties not listed here are ignored: they are removed before the model sees the request (as the original pydantic service ignored them), so \`__proto__\`, \`constructor\` or any other key never reaches the model.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "instances"
    ],
    "properties": {
      "instances": {
        "type": "array",
        "minItems": 1,
        "items": {
          "type": "object",
          "description": "the four measurements of one flower, in cm",
          "additionalProperties": false,
          "required": [
            "sepal_length",
            "sepal_width",
            "petal_length",
            "petal_width"
          ],
          "properties": {
            "sepal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            },
            "sepal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            },
            "petal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            },
            "petal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          }
        }
      }
    }
  },
  "batch-response": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/batch-response/v1.json",
    "title": "BatchResponse",
    "description": "POST /predict/batch answer: one prediction per instance, in order",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "predictions",
      "model_version"
    ],
    "properties": {
      "predictions": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "prediction",
            "prediction_label",
            "confidence",
            "probabilities"
          ],
          "properties": {
            "prediction": {
              "type": "integer",
              "minimum": 0,
              "maximum": 2,
              "description": "class index: 0 setosa, 1 versicolor, 2 virginica"
            },
            "prediction_label": {
              "type": "string",
              "enum": [
                "setosa",
                "versicolor",
                "virginica"
              ],
              "description": "the class label; its position in this list is the class index"
            },
            "confidence": {
              "type": "number",
              "minimum": 0,
              "maximum": 1,
              "description": "share of the trees voting for the predicted class; always written with a fraction part (1.0, not 1)"
            },
            "probabilities": {
              "type": "object",
              "description": "share of the trees voting for each class",
              "additionalProperties": false,
              "required": [
                "setosa",
                "versicolor",
                "virginica"
              ],
              "properties": {
                "setosa": {
                  "type": "number",
                  "minimum": 0,
                  "maximum": 1
                },
                "versicolor": {
                  "type": "number",
                  "minimum": 0,
                  "maximum": 1
                },
                "virginica": {
                  "type": "number",
                  "minimum": 0,
                  "maximum": 1
                }
              }
            }
          }
        }
      },
      "model_version": {
        "type": "string",
        "minLength": 1,
        "description": "registered model version (a string, as MLflow sends it), or the run id when the model is served from runs:/"
      }
    }
  },
  "config": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/config/v1.json",
    "title": "IrisopsConfig",
    "description": "irisops.config.json: project settings. Flags and environment variables override each key.",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "$schema": {
        "type": "string",
        "description": "editor hint; ignored"
      },
      "project": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "description": "project name (informational)"
      },
      "tracking_uri": {
        "type": "string",
        "minLength": 1,
        "description": "local folder path, file: URI, or http(s):// URL of an MLflow server"
      },
      "experiment": {
        "type": "string",
        "minLength": 1,
        "maxLength": 500,
        "description": "experiment name"
      },
      "model_name": {
        "type": "string",
        "minLength": 1,
        "maxLength": 256,
        "pattern": "^(?!\\\\.{1,2}$)(?=.*\\\\S)[^/:%\\\\\\\\\\\\u0000-\\\\u001f\\\\u007f]+$",
        "description": "registered model name (MLflow's rules: not blank, no / : % \\\\ or control characters)"
      },
      "alias": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[\\\\p{L}\\\\p{N}_-]+$",
        "not": {
          "pattern": "^([lL][aA][tT][eE][sS][tT]|[vV][0-9]+)$"
        },
        "description": "alias that marks the served version (MLflow's rules: letters, digits, _ and -; not 'latest' or v<digits>)"
      },
      "data": {
        "type": "string",
        "minLength": 1,
        "description": "path to the training CSV"
      },
      "host": {
        "type": "string",
        "minLength": 1,
        "description": "interface irisops serve binds"
      },
      "port": {
        "type": "integer",
        "minimum": 0,
        "maximum": 65535,
        "description": "port irisops serve listens on"
      },
      "ui_port": {
        "type": "integer",
        "minimum": 0,
        "maximum": 65535,
        "description": "port irisops ui listens on (default 5000)"
      },
      "api_url": {
        "type": "string",
        "pattern": "^https?://",
        "description": "URL of a running irisops service, for verify"
      }
    }
  },
  "contract": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/contract/v1.json",
    "title": "Contract",
    "description": "GET /contract: the predict-request and predict-response schema files, as on disk",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "input_schema",
      "output_schema"
    ],
    "properties": {
      "input_schema": {
        "type": "object",
        "required": [
          "properties"
        ],
        "properties": {
          "properties": {
            "type": "object"
          }
        }
      },
      "output_schema": {
        "type": "object",
        "required": [
          "properties"
        ],
        "properties": {
          "properties": {
            "type": "object"
          }
        }
      }
    }
  },
  "dataset": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/dataset/v1.json",
    "title": "DatasetRow",
    "description": "One row of the training CSV (header sepal_length,sepal_width,petal_length,petal_width,species), measurements in cm.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "sepal_length",
      "sepal_width",
      "petal_length",
      "petal_width",
      "species"
    ],
    "properties": {
      "sepal_length": {
        "type": "number",
        "minimum": 0,
        "maximum": 10,
        "description": "sepal length in cm, from 0 to 10"
      },
      "sepal_width": {
        "type": "number",
        "minimum": 0,
        "maximum": 10,
        "description": "sepal width in cm, from 0 to 10"
      },
      "petal_length": {
        "type": "number",
        "minimum": 0,
        "maximum": 10,
        "description": "petal length in cm, from 0 to 10"
      },
      "petal_width": {
        "type": "number",
        "minimum": 0,
        "maximum": 10,
        "description": "petal width in cm, from 0 to 10"
      },
      "species": {
        "type": "string",
        "enum": [
          "setosa",
          "versicolor",
          "virginica"
        ],
        "description": "the class label; its position in this list is the class index"
      }
    }
  },
  "drift-report": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/drift-report/v1.json",
    "title": "DriftReport",
    "description": "GET /drift and irisops drift --json: a window of inputs (and, when known, the classes predicted for them) compared with the model's reference profile. A test is significant when its Holm-corrected p-value is below alpha; a significant test is graded by its PSI: drift at psi_drift or more, warning at psi_warning or more, stable below. Fewer than min_samples rows is insufficient data, never drift.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "verdict",
      "n",
      "reference_n",
      "thresholds",
      "correction",
      "features",
      "predictions"
    ],
    "properties": {
      "model_version": {
        "type": "string",
        "description": "the model version whose inputs these are, when the caller knows it"
      },
      "source": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "kind",
          "rows",
          "lines_skipped"
        ],
        "description": "where the window came from: a CSV or a prediction log (irisops drift), or the live window of irisops serve",
        "properties": {
          "kind": {
            "enum": [
              "csv",
              "predictions",
              "live"
            ]
          },
          "path": {
            "type": "string",
            "description": "the file read (irisops drift)"
          },
          "rows": {
            "type": "integer",
            "minimum": 0,
            "description": "rows read (before any model-version filter)"
          },
          "lines_skipped": {
            "type": "integer",
            "minimum": 0,
            "description": "prediction-log lines that were not valid JSON or did not match schemas/prediction-log-line.schema.json; skipped, not fatal"
          },
          "other_versions": {
            "type": "integer",
            "minimum": 0,
            "description": "prediction-log lines answered by another model version, left out of the window"
          }
        }
      },
      "verdict": {
        "enum": [
          "stable",
          "warning",
          "drift",
          "insufficient data"
        ],
        "description": "insufficient data when the window is below min_samples rows, else the worst verdict of the features and predictions"
      },
      "n": {
        "type": "integer",
        "minimum": 0,
        "description": "rows in the window"
      },
      "reference_n": {
        "type": "integer",
        "minimum": 1,
        "description": "rows in the training split"
      },
      "thresholds": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "psi_warning",
          "psi_drift",
          "alpha",
          "min_samples"
        ],
        "properties": {
          "psi_warning": {
            "type": "number",
            "minimum": 0
          },
          "psi_drift": {
            "type": "number",
            "minimum": 0
          },
          "alpha": {
            "type": "number",
            "exclusiveMinimum": 0,
            "exclusiveMaximum": 1
          },
          "min_samples": {
            "type": "integer",
            "minimum": 1
          }
        }
      },
      "correction": {
        "const": "holm",
        "description": "the p-values of every test in the report (features and predictions) are corrected together with Holm's step-down method"
      },
      "features": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "n",
            "psi",
            "ks",
            "p",
            "corrected_p",
            "verdict"
          ],
          "properties": {
            "name": {
              "type": "string",
              "minLength": 1
            },
            "n": {
              "type": "integer",
              "minimum": 0
            },
            "psi": {
              "type": [
                "number",
                "null"
              ],
              "minimum": 0,
              "description": "null when the window is empty"
            },
            "ks": {
              "type": [
                "number",
                "null"
              ],
              "minimum": 0,
              "maximum": 1,
              "description": "two-sample Kolmogorov-Smirnov statistic against the training values"
            },
            "p": {
              "type": [
                "number",
                "null"
              ],
              "minimum": 0,
              "maximum": 1,
              "description": "null when the window is empty"
            },
            "corrected_p": {
              "type": [
                "number",
                "null"
              ],
              "minimum": 0,
              "maximum": 1,
              "description": "null when the window is empty"
            },
            "verdict": {
              "enum": [
                "stable",
                "warning",
                "drift",
                "insufficient data"
              ]
            }
          }
        }
      },
      "predictions": {
        "description": "predicted classes against the training class shares (chi-squared goodness of fit); null when no prediction was given",
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "n",
              "psi",
              "chi2",
              "df",
              "p",
              "corrected_p",
              "verdict",
              "classes"
            ],
            "properties": {
              "n": {
                "type": "integer",
                "minimum": 0
              },
              "psi": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0,
                "description": "null when the window is empty"
              },
              "chi2": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0,
                "description": "null when the window is empty"
              },
              "df": {
                "type": "integer",
                "minimum": 0
              },
              "p": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0,
                "maximum": 1,
                "description": "null when the window is empty"
              },
              "corrected_p": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": 0,
                "maximum": 1,
                "description": "null when the window is empty"
              },
              "verdict": {
                "enum": [
                  "stable",
                  "warning",
                  "drift",
                  "insufficient data"
                ]
              },
              "classes": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "name",
                    "observed",
                    "expected"
                  ],
                  "properties": {
                    "name": {
                      "type": "string",
                      "minLength": 1
                    },
                    "observed": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "expected": {
                      "type": "number",
                      "minimum": 0
                    }
                  }
                }
              }
            }
          }
        ]
      }
    }
  },
  "feedback-request": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/feedback-request/v1.json",
    "title": "FeedbackRequest",
    "description": "POST /feedback: the true label of one earlier answer, or of many (items)",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "request_id": {
        "type": "string",
        "minLength": 1,
        "maxLength": 128,
        "description": "the x-request-id of the answer being labelled"
      },
      "label": {
        "type": "string",
        "enum": [
          "setosa",
          "versicolor",
          "virginica"
        ],
        "description": "the class label; its position in this list is the class index"
      },
      "items": {
        "type": "array",
        "minItems": 1,
        "maxItems": 10000,
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "request_id",
            "label"
          ],
          "properties": {
            "request_id": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128,
              "description": "the x-request-id of the answer being labelled"
            },
            "label": {
              "type": "string",
              "enum": [
                "setosa",
                "versicolor",
                "virginica"
              ],
              "description": "the class label; its position in this list is the class index"
            }
          }
        }
      }
    },
    "oneOf": [
      {
        "required": [
          "request_id",
          "label"
        ],
        "properties": {
          "request_id": true,
          "label": true
        }
      },
      {
        "required": [
          "items"
        ],
        "properties": {
          "items": true
        }
      }
    ],
    "dependentRequired": {
      "request_id": [
        "label"
      ],
      "label": [
        "request_id"
      ]
    }
  },
  "feedback-response": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/feedback-response/v1.json",
    "title": "FeedbackResponse",
    "description": "POST /feedback answer: how many labels matched an answer still in the window",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "received",
      "matched",
      "unmatched",
      "duplicates"
    ],
    "properties": {
      "received": {
        "type": "integer",
        "minimum": 0
      },
      "matched": {
        "type": "integer",
        "minimum": 0
      },
      "unmatched": {
        "type": "array",
        "items": {
          "type": "string"
        },
        "description": "request ids unknown to this server or older than the --feedback-window answers it keeps"
      },
      "duplicates": {
        "type": "array",
        "items": {
          "type": "string"
        },
        "description": "request ids already labelled: counted once"
      }
    }
  },
  "health": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/health/v1.json",
    "title": "Health",
    "description": "GET /health: 200 when a model is loaded and the server is not draining, else 503",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "status",
      "model_loaded",
      "model_version"
    ],
    "properties": {
      "status": {
        "type": "string",
        "enum": [
          "healthy",
          "unhealthy"
        ]
      },
      "model_loaded": {
        "type": "boolean"
      },
      "model_version": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "string",
            "minLength": 1,
            "description": "registered model version (a string, as MLflow sends it), or the run id when the model is served from runs:/"
          }
        ]
      },
      "model_name": {
        "type": [
          "string",
          "null"
        ]
      },
      "model_alias": {
        "type": [
          "string",
          "null"
        ]
      },
      "model_uri": {
        "type": [
          "string",
          "null"
        ],
        "description": "the model URI that was resolved"
      },
      "model_digest": {
        "type": [
          "string",
          "null"
        ],
        "pattern": "^sha256:[0-9a-f]{64}$"
      },
      "run_id": {
        "type": [
          "string",
          "null"
        ]
      },
      "draining": {
        "type": "boolean",
        "description": "true once shutdown has begun"
      },
      "uptime_seconds": {
        "type": "number",
        "minimum": 0
      },
      "variants": {
        "type": "array",
        "description": "the models this server routes to (with --challenger or --shadow)",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "variant",
            "loaded",
            "model_version",
            "model_uri"
          ],
          "properties": {
            "variant": {
              "type": "string",
              "enum": [
                "champion",
                "challenger",
                "shadow"
              ]
            },
            "loaded": {
              "type": "boolean"
            },
            "model_name": {
              "type": [
                "string",
                "null"
              ]
            },
            "model_version": {
              "type": [
                "string",
                "null"
              ]
            },
            "model_uri": {
              "type": [
                "string",
                "null"
              ]
            },
            "percent": {
              "type": "number",
              "minimum": 0,
              "maximum": 100,
              "description": "share of traffic (challenger: answered; shadow: also predicted)"
            }
          }
        }
      }
    }
  },
  "init-result": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/init-result/v1.json",
    "title": "InitResult",
    "description": "irisops init --json: what was written. Paths are relative to dir, '/'-separated.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "dir",
      "written",
      "skipped",
      "unchanged"
    ],
    "properties": {
      "dir": {
        "type": "string",
        "minLength": 1,
        "description": "absolute path of the project folder"
      },
      "written": {
        "type": "array",
        "items": {
          "type": "string",
          "minLength": 1
        },
        "description": "files created, overwritten (--force) or extended (.gitignore entries added)"
      },
      "skipped": {
        "type": "array",
        "items": {
          "type": "string",
          "minLength": 1
        },
        "description": "files that exist with other content and were left alone (pass --force to overwrite)"
      },
      "unchanged": {
        "type": "array",
        "items": {
          "type": "string",
          "minLength": 1
        },
        "description": "files that already had the content init would write"
      }
    }
  },
  "invocations-request": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/invocations-request/v1.json",
    "title": "InvocationsRequest",
    "description": "POST /invocations JSON body, MLflow's scoring protocol: exactly one of dataframe_split, dataframe_records, instances, inputs (inputs may also be an object of columns, as MLflow accepts). MLflow's optional params are refused: this model takes none. The same rows can be sent as text/csv with a header row. Properties not listed here are ignored: they are removed before the model sees the request (as the original pydantic service ignored them), so \`__proto__\`, \`constructor\` or any other key never reaches the model.",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "dataframe_split": {
        "type": "object",
        "description": "pandas 'split' orientation; without columns, each row lists the four measurements in the signature's order",
        "additionalProperties": false,
        "required": [
          "data"
        ],
        "properties": {
          "columns": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "uniqueItems": true
          },
          "index": {
            "type": "array"
          },
          "data": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "array",
              "items": {
                "type": "number",
                "minimum": 0,
                "maximum": 10,
                "description": "a measurement in cm, from 0 to 10"
              }
            }
          }
        }
      },
      "dataframe_records": {
        "type": "array",
        "minItems": 1,
        "items": {
          "type": "object",
          "description": "pandas 'records' orientation: one object per row",
          "additionalProperties": false,
          "required": [
            "sepal_length",
            "sepal_width",
            "petal_length",
            "petal_width"
          ],
          "properties": {
            "sepal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            },
            "sepal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            },
            "petal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            },
            "petal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          }
        }
      },
      "instances": {
        "type": "array",
        "minItems": 1,
        "items": {
          "type": [
            "object",
            "array"
          ],
          "description": "a record {sepal_length, sepal_width, petal_length, petal_width} or a row of the 4 measurements in that order",
          "additionalProperties": false,
          "required": [
            "sepal_length",
            "sepal_width",
            "petal_length",
            "petal_width"
          ],
          "properties": {
            "sepal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            },
            "sepal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            },
            "petal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            },
            "petal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          },
          "minItems": 4,
          "maxItems": 4,
          "items": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "a measurement in cm, from 0 to 10"
          }
        }
      },
      "inputs": {
        "type": [
          "array",
          "object"
        ],
        "description": "MLflow's tensor input: a list of records or rows (see record_or_row), or an object of columns, each a list of one measurement for every flower",
        "minItems": 1,
        "items": {
          "type": [
            "object",
            "array"
          ],
          "description": "a record {sepal_length, sepal_width, petal_length, petal_width} or a row of the 4 measurements in that order",
          "additionalProperties": false,
          "required": [
            "sepal_length",
            "sepal_width",
            "petal_length",
            "petal_width"
          ],
          "properties": {
            "sepal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            },
            "sepal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            },
            "petal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            },
            "petal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          },
          "minItems": 4,
          "maxItems": 4,
          "items": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "a measurement in cm, from 0 to 10"
          }
        },
        "additionalProperties": false,
        "required": [
          "sepal_length",
          "sepal_width",
          "petal_length",
          "petal_width"
        ],
        "properties": {
          "sepal_length": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            }
          },
          "sepal_width": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            }
          },
          "petal_length": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            }
          },
          "petal_width": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          }
        }
      },
      "params": false
    },
    "oneOf": [
      {
        "required": [
          "dataframe_split"
        ],
        "properties": {
          "dataframe_split": true
        }
      },
      {
        "required": [
          "dataframe_records"
        ],
        "properties": {
          "dataframe_records": true
        }
      },
      {
        "required": [
          "instances"
        ],
        "properties": {
          "instances": true
        }
      },
      {
        "required": [
          "inputs"
        ],
        "properties": {
          "inputs": true
        }
      }
    ],
    "$comment": "params is false: MLflow clients may send it, this model takes none, so it is refused with 422"
  },
  "invocations-response": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/invocations-response/v1.json",
    "title": "InvocationsResponse",
    "description": "POST /invocations answer: class indices (0 setosa, 1 versicolor, 2 virginica), as an MLflow-served scikit-learn classifier returns them",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "predictions"
    ],
    "properties": {
      "predictions": {
        "type": "array",
        "items": {
          "type": "integer",
          "minimum": 0,
          "maximum": 2,
          "description": "class index: 0 setosa, 1 versicolor, 2 virginica"
        }
      }
    }
  },
  "iris": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/iris/v1.json",
    "title": "Iris",
    "description": "The contract's vocabulary, defined once: the four measurements (names, order, unit, range) and the three class labels (order = class index). The other schema files $ref these definitions; the service serves them inlined, so what it serves is self-contained.",
    "$defs": {
      "measurement": {
        "type": "number",
        "minimum": 0,
        "maximum": 10,
        "description": "a measurement in cm, from 0 to 10"
      },
      "features": {
        "type": "object",
        "description": "the four measurements of one flower, in cm",
        "additionalProperties": false,
        "required": [
          "sepal_length",
          "sepal_width",
          "petal_length",
          "petal_width"
        ],
        "properties": {
          "sepal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal length in cm, from 0 to 10"
          },
          "sepal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal width in cm, from 0 to 10"
          },
          "petal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal length in cm, from 0 to 10"
          },
          "petal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal width in cm, from 0 to 10"
          }
        }
      },
      "species": {
        "type": "string",
        "enum": [
          "setosa",
          "versicolor",
          "virginica"
        ],
        "description": "the class label; its position in this list is the class index"
      },
      "class_index": {
        "type": "integer",
        "minimum": 0,
        "maximum": 2,
        "description": "class index: 0 setosa, 1 versicolor, 2 virginica"
      },
      "share": {
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "probabilities": {
        "type": "object",
        "description": "share of the trees voting for each class",
        "additionalProperties": false,
        "required": [
          "setosa",
          "versicolor",
          "virginica"
        ],
        "properties": {
          "setosa": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          "versicolor": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          "virginica": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          }
        }
      },
      "record_or_row": {
        "type": [
          "object",
          "array"
        ],
        "description": "a record {sepal_length, sepal_width, petal_length, petal_width} or a row of the 4 measurements in that order",
        "additionalProperties": false,
        "required": [
          "sepal_length",
          "sepal_width",
          "petal_length",
          "petal_width"
        ],
        "properties": {
          "sepal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal length in cm, from 0 to 10"
          },
          "sepal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal width in cm, from 0 to 10"
          },
          "petal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal length in cm, from 0 to 10"
          },
          "petal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal width in cm, from 0 to 10"
          }
        },
        "minItems": 4,
        "maxItems": 4,
        "items": {
          "type": "number",
          "minimum": 0,
          "maximum": 10,
          "description": "a measurement in cm, from 0 to 10"
        }
      },
      "rows_or_columns": {
        "type": [
          "array",
          "object"
        ],
        "description": "MLflow's tensor input: a list of records or rows (see record_or_row), or an object of columns, each a list of one measurement for every flower",
        "minItems": 1,
        "items": {
          "type": [
            "object",
            "array"
          ],
          "description": "a record {sepal_length, sepal_width, petal_length, petal_width} or a row of the 4 measurements in that order",
          "additionalProperties": false,
          "required": [
            "sepal_length",
            "sepal_width",
            "petal_length",
            "petal_width"
          ],
          "properties": {
            "sepal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            },
            "sepal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            },
            "petal_length": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            },
            "petal_width": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          },
          "minItems": 4,
          "maxItems": 4,
          "items": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "a measurement in cm, from 0 to 10"
          }
        },
        "additionalProperties": false,
        "required": [
          "sepal_length",
          "sepal_width",
          "petal_length",
          "petal_width"
        ],
        "properties": {
          "sepal_length": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal length in cm, from 0 to 10"
            }
          },
          "sepal_width": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "sepal width in cm, from 0 to 10"
            }
          },
          "petal_length": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal length in cm, from 0 to 10"
            }
          },
          "petal_width": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 10,
              "description": "petal width in cm, from 0 to 10"
            }
          }
        }
      },
      "metric_value": {
        "description": "a logged metric's value: a number, or NaN and the infinities as the text \\"NaN\\", \\"Infinity\\", \\"-Infinity\\" (JSON has no such numbers; MLflow's REST API writes them so too)",
        "oneOf": [
          {
            "type": "number"
          },
          {
            "enum": [
              "NaN",
              "Infinity",
              "-Infinity"
            ]
          }
        ]
      }
    }
  },
  "model": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/model/v1.json",
    "title": "ModelFile",
    "description": "model.json inside a run's model/ artifact: a random forest as flat arrays per tree. A node i is a leaf when feature[i] is -1, and then value[i] is the class index it votes for; otherwise rows with x[feature[i]] < threshold[i] go to left[i], the others to right[i].",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "format",
      "format_version",
      "algorithm",
      "feature_names",
      "class_labels",
      "params",
      "trees"
    ],
    "properties": {
      "format": {
        "const": "irisops-random-forest"
      },
      "format_version": {
        "const": 1
      },
      "algorithm": {
        "const": "random_forest_classifier"
      },
      "library": {
        "description": "what fitted the trees and its version: irisops itself (its own forest, which grows the trees ml-random-forest 2.1 grows); model files written before it name ml-random-forest",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "version"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        }
      },
      "feature_names": {
        "type": "array",
        "minItems": 1,
        "maxItems": 64,
        "items": {
          "type": "string",
          "minLength": 1
        }
      },
      "class_labels": {
        "type": "array",
        "minItems": 2,
        "maxItems": 64,
        "items": {
          "type": "string",
          "minLength": 1
        }
      },
      "params": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "n_estimators",
          "max_depth",
          "max_features",
          "random_state"
        ],
        "properties": {
          "n_estimators": {
            "type": "integer",
            "minimum": 1
          },
          "max_depth": {
            "type": "integer",
            "minimum": 1
          },
          "max_features": {
            "type": "number",
            "exclusiveMinimum": 0
          },
          "random_state": {
            "type": "integer"
          }
        }
      },
      "trees": {
        "type": "array",
        "minItems": 1,
        "maxItems": 10000,
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "feature",
            "threshold",
            "left",
            "right",
            "value"
          ],
          "properties": {
            "feature": {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "integer",
                "minimum": -1
              }
            },
            "threshold": {
              "type": "array",
              "items": {
                "type": "number"
              }
            },
            "left": {
              "type": "array",
              "items": {
                "type": "integer",
                "minimum": -1
              }
            },
            "right": {
              "type": "array",
              "items": {
                "type": "integer",
                "minimum": -1
              }
            },
            "value": {
              "type": "array",
              "items": {
                "type": "integer",
                "minimum": -1
              }
            }
          }
        }
      }
    }
  },
  "predict-request": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/predict-request/v1.json",
    "title": "PredictRequest",
    "description": "POST /predict body: the four measurements of one flower. Properties not listed here are ignored: they are removed before the model sees the request (as the original pydantic service ignored them), so \`__proto__\`, \`constructor\` or any other key never reaches the model.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "features"
    ],
    "properties": {
      "features": {
        "type": "object",
        "description": "the four measurements of one flower, in cm",
        "additionalProperties": false,
        "required": [
          "sepal_length",
          "sepal_width",
          "petal_length",
          "petal_width"
        ],
        "properties": {
          "sepal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal length in cm, from 0 to 10"
          },
          "sepal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal width in cm, from 0 to 10"
          },
          "petal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal length in cm, from 0 to 10"
          },
          "petal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal width in cm, from 0 to 10"
          }
        }
      }
    }
  },
  "predict-response": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/predict-response/v1.json",
    "title": "PredictResponse",
    "description": "POST /predict answer",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "prediction",
      "prediction_label",
      "confidence",
      "model_version",
      "probabilities"
    ],
    "properties": {
      "prediction": {
        "type": "integer",
        "minimum": 0,
        "maximum": 2,
        "description": "class index: 0 setosa, 1 versicolor, 2 virginica"
      },
      "prediction_label": {
        "type": "string",
        "enum": [
          "setosa",
          "versicolor",
          "virginica"
        ],
        "description": "the class label; its position in this list is the class index"
      },
      "confidence": {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "description": "share of the trees voting for the predicted class; always written with a fraction part (1.0, not 1)"
      },
      "model_version": {
        "type": "string",
        "minLength": 1,
        "description": "registered model version (a string, as MLflow sends it), or the run id when the model is served from runs:/"
      },
      "probabilities": {
        "type": "object",
        "description": "share of the trees voting for each class",
        "additionalProperties": false,
        "required": [
          "setosa",
          "versicolor",
          "virginica"
        ],
        "properties": {
          "setosa": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          "versicolor": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          "virginica": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          }
        }
      },
      "variant": {
        "type": "string",
        "enum": [
          "champion",
          "challenger"
        ],
        "description": "which variant answered (with --challenger or --shadow); the x-model-variant header says the same"
      }
    }
  },
  "prediction-log-line": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/prediction-log-line/v1.json",
    "title": "PredictionLogLine",
    "description": "One line of irisops serve --log-predictions (JSON lines): one answered prediction. irisops drift --requests reads these back; a line that does not match is skipped and counted.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "time",
      "request_id",
      "model_version",
      "features",
      "prediction"
    ],
    "properties": {
      "time": {
        "type": "string",
        "description": "when the prediction was answered, ISO 8601 in UTC"
      },
      "request_id": {
        "type": "string",
        "description": "the x-request-id of the answer; a batch request logs one line per item with the same id"
      },
      "model_version": {
        "type": "string",
        "description": "the version that answered (the run id for a runs:/ model)"
      },
      "variant": {
        "type": "string",
        "description": "the rollout variant that answered, when one is set"
      },
      "route": {
        "type": "string",
        "description": "the endpoint that answered"
      },
      "features": {
        "type": "object",
        "description": "the four measurements of one flower, in cm",
        "additionalProperties": false,
        "required": [
          "sepal_length",
          "sepal_width",
          "petal_length",
          "petal_width"
        ],
        "properties": {
          "sepal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal length in cm, from 0 to 10"
          },
          "sepal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "sepal width in cm, from 0 to 10"
          },
          "petal_length": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal length in cm, from 0 to 10"
          },
          "petal_width": {
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "description": "petal width in cm, from 0 to 10"
          }
        }
      },
      "prediction": {
        "type": "integer",
        "minimum": 0,
        "maximum": 2,
        "description": "class index: 0 setosa, 1 versicolor, 2 virginica"
      }
    }
  },
  "problem": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/problem/v1.json",
    "title": "Problem",
    "description": "Every error answer: RFC 9457 problem details (application/problem+json), with each schema error listed in errors. An improvement on FastAPI's {\\"detail\\": [...]}.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "type",
      "title",
      "status",
      "detail",
      "errors"
    ],
    "properties": {
      "type": {
        "type": "string",
        "description": "identifies the kind of problem"
      },
      "title": {
        "type": "string"
      },
      "status": {
        "type": "integer",
        "minimum": 400,
        "maximum": 599
      },
      "detail": {
        "type": "string"
      },
      "instance": {
        "type": "string",
        "description": "the request path"
      },
      "request_id": {
        "type": "string"
      },
      "errors": {
        "type": "array",
        "description": "one entry per problem found; path is a JSON pointer into the request body (\\"\\" for the whole body)",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "path",
            "message"
          ],
          "properties": {
            "path": {
              "type": "string"
            },
            "message": {
              "type": "string"
            }
          }
        }
      }
    }
  },
  "promote-result": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/promote-result/v1.json",
    "title": "PromoteResult",
    "description": "irisops registry promote --json",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "alias",
      "version",
      "previous_version"
    ],
    "properties": {
      "name": {
        "type": "string"
      },
      "alias": {
        "type": "string"
      },
      "version": {
        "type": "string",
        "pattern": "^[1-9][0-9]*$"
      },
      "previous_version": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "string",
            "pattern": "^[1-9][0-9]*$"
          }
        ]
      },
      "compared": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "metric",
          "candidate",
          "current"
        ],
        "properties": {
          "metric": {
            "type": "string"
          },
          "candidate": {
            "type": [
              "number",
              "null"
            ]
          },
          "current": {
            "type": [
              "number",
              "null"
            ]
          }
        }
      }
    }
  },
  "push-result": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/push-result/v1.json",
    "title": "PushResult",
    "description": "irisops runs push --json: what was copied from one tracking store to another",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "runs",
      "versions",
      "aliases"
    ],
    "properties": {
      "runs": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "copied",
          "skipped",
          "abandoned"
        ],
        "properties": {
          "copied": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "experiment",
                "source_run_id",
                "target_run_id"
              ],
              "properties": {
                "experiment": {
                  "type": "string"
                },
                "source_run_id": {
                  "type": "string"
                },
                "target_run_id": {
                  "type": "string"
                },
                "logged_models": {
                  "type": "array",
                  "description": "the logged models (MLflow 3) the run produced, copied with it",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "source_model_id",
                      "target_model_id"
                    ],
                    "properties": {
                      "source_model_id": {
                        "type": "string"
                      },
                      "target_model_id": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            }
          },
          "skipped": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "experiment",
                "source_run_id",
                "target_run_id"
              ],
              "properties": {
                "experiment": {
                  "type": "string"
                },
                "source_run_id": {
                  "type": "string"
                },
                "target_run_id": {
                  "type": "string"
                }
              }
            }
          },
          "abandoned": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "partial copies from an interrupted push, marked FAILED on the target"
          }
        }
      },
      "versions": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "copied",
          "skipped",
          "not_pushed"
        ],
        "properties": {
          "copied": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "source_version",
                "target_version"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "source_version": {
                  "type": "string"
                },
                "target_version": {
                  "type": "string"
                }
              }
            }
          },
          "skipped": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "source_version",
                "target_version"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "source_version": {
                  "type": "string"
                },
                "target_version": {
                  "type": "string"
                }
              }
            }
          },
          "not_pushed": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "version",
                "reason"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "version": {
                  "type": "string"
                },
                "reason": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "aliases": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "alias",
            "version"
          ],
          "properties": {
            "name": {
              "type": "string"
            },
            "alias": {
              "type": "string"
            },
            "version": {
              "type": "string"
            }
          }
        }
      }
    }
  },
  "reference-profile": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/reference-profile/v1.json",
    "title": "ReferenceProfile",
    "description": "reference-profile.json beside a run's model: the training split as drift detection needs it. Every training value is kept (sorted), so the two-sample KS test against it is exact; PSI bins are quantile bins of the same values.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "format",
      "format_version",
      "n_rows",
      "features",
      "classes"
    ],
    "properties": {
      "format": {
        "const": "irisops-reference-profile"
      },
      "format_version": {
        "const": 1
      },
      "n_rows": {
        "type": "integer",
        "minimum": 1,
        "description": "rows in the training split"
      },
      "features": {
        "type": "array",
        "minItems": 1,
        "maxItems": 64,
        "description": "one entry per model feature, in the model's feature order",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "sorted_values",
            "bin_edges",
            "bin_shares"
          ],
          "properties": {
            "name": {
              "type": "string",
              "minLength": 1
            },
            "sorted_values": {
              "type": "array",
              "minItems": 1,
              "description": "every training value of the feature, ascending (n_rows items)",
              "items": {
                "type": "number"
              }
            },
            "bin_edges": {
              "type": "array",
              "description": "interior PSI bin edges, strictly ascending. The outer bins are open: bin 0 is (-inf, edge 0), bin k is [edge k-1, edge k), the last is [last edge, +inf). Edges sit halfway between two distinct training values, so a value measured to the same precision never lands on one.",
              "items": {
                "type": "number"
              }
            },
            "bin_shares": {
              "type": "array",
              "minItems": 1,
              "description": "share of the training values in each bin (bin_edges items + 1, summing to 1)",
              "items": {
                "type": "number",
                "minimum": 0,
                "maximum": 1
              }
            }
          }
        }
      },
      "classes": {
        "type": "array",
        "minItems": 2,
        "maxItems": 64,
        "description": "the training class counts, in the model's class order",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "count",
            "share"
          ],
          "properties": {
            "name": {
              "type": "string",
              "minLength": 1
            },
            "count": {
              "type": "integer",
              "minimum": 0
            },
            "share": {
              "type": "number",
              "minimum": 0,
              "maximum": 1
            }
          }
        }
      }
    }
  },
  "register-result": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/register-result/v1.json",
    "title": "RegisterResult",
    "description": "irisops registry register --json: the version made from a finished run's model",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "version",
      "run_id",
      "source"
    ],
    "properties": {
      "name": {
        "type": "string",
        "description": "registered model name"
      },
      "version": {
        "type": "string",
        "pattern": "^[1-9][0-9]*$"
      },
      "run_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{32}$"
      },
      "source": {
        "type": "string",
        "description": "the run's model/ folder the version points at"
      }
    }
  },
  "registry-list": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/registry-list/v1.json",
    "title": "RegistryList",
    "description": "irisops registry ls [name] --json",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "models"
    ],
    "properties": {
      "models": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "aliases",
            "versions"
          ],
          "properties": {
            "name": {
              "type": "string"
            },
            "aliases": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            },
            "versions": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "version",
                  "run_id",
                  "source",
                  "status",
                  "aliases",
                  "metrics",
                  "creation_timestamp"
                ],
                "properties": {
                  "version": {
                    "type": "string",
                    "pattern": "^[1-9][0-9]*$"
                  },
                  "run_id": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "source": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string"
                  },
                  "aliases": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "metrics": {
                    "type": "object",
                    "additionalProperties": {
                      "description": "a logged metric's value: a number, or NaN and the infinities as the text \\"NaN\\", \\"Infinity\\", \\"-Infinity\\" (JSON has no such numbers; MLflow's REST API writes them so too)",
                      "oneOf": [
                        {
                          "type": "number"
                        },
                        {
                          "enum": [
                            "NaN",
                            "Infinity",
                            "-Infinity"
                          ]
                        }
                      ]
                    }
                  },
                  "creation_timestamp": {
                    "type": "integer"
                  },
                  "servable": {
                    "type": "boolean",
                    "description": "false when the source is not an irisops model"
                  }
                }
              }
            }
          }
        }
      }
    }
  },
  "run-detail": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/run-detail/v1.json",
    "title": "RunDetail",
    "description": "irisops runs show <run-id> --json",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "run_id",
      "run_name",
      "experiment_id",
      "status",
      "start_time",
      "end_time",
      "params",
      "metrics",
      "tags",
      "registered_versions",
      "stale",
      "artifact_uri",
      "artifacts",
      "confusion_matrix",
      "datasets"
    ],
    "properties": {
      "run_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{32}$"
      },
      "run_name": {
        "type": "string"
      },
      "experiment_id": {
        "type": "string"
      },
      "status": {
        "type": "string",
        "enum": [
          "RUNNING",
          "SCHEDULED",
          "FINISHED",
          "FAILED",
          "KILLED"
        ]
      },
      "start_time": {
        "type": "integer",
        "description": "epoch milliseconds"
      },
      "end_time": {
        "type": [
          "integer",
          "null"
        ],
        "description": "epoch milliseconds"
      },
      "params": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        }
      },
      "metrics": {
        "type": "object",
        "additionalProperties": {
          "description": "a logged metric's value: a number, or NaN and the infinities as the text \\"NaN\\", \\"Infinity\\", \\"-Infinity\\" (JSON has no such numbers; MLflow's REST API writes them so too)",
          "oneOf": [
            {
              "type": "number"
            },
            {
              "enum": [
                "NaN",
                "Infinity",
                "-Infinity"
              ]
            }
          ]
        }
      },
      "tags": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        }
      },
      "registered_versions": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "version",
            "aliases"
          ],
          "properties": {
            "name": {
              "type": "string"
            },
            "version": {
              "type": "string",
              "pattern": "^[1-9][0-9]*$"
            },
            "aliases": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          }
        }
      },
      "stale": {
        "type": "boolean",
        "description": "RUNNING but the process that started it is gone"
      },
      "artifact_uri": {
        "type": "string"
      },
      "artifacts": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "path",
            "is_dir"
          ],
          "properties": {
            "path": {
              "type": "string"
            },
            "is_dir": {
              "type": "boolean"
            },
            "file_size": {
              "type": "integer"
            }
          }
        }
      },
      "confusion_matrix": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "labels",
              "matrix"
            ],
            "properties": {
              "labels": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "matrix": {
                "type": "array",
                "items": {
                  "type": "array",
                  "items": {
                    "type": "integer",
                    "minimum": 0
                  }
                }
              }
            }
          }
        ]
      },
      "datasets": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "digest",
            "source_type",
            "source"
          ],
          "properties": {
            "name": {
              "type": "string"
            },
            "digest": {
              "type": "string"
            },
            "source_type": {
              "type": "string"
            },
            "source": {
              "type": "string"
            }
          }
        }
      },
      "children": {
        "description": "the runs whose mlflow.parentRunId is this run (a sweep's trials and winner), best first by the sweep's metric; present only when there are some",
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "run_id",
            "run_name",
            "status",
            "params",
            "metrics",
            "tags"
          ],
          "properties": {
            "run_id": {
              "type": "string",
              "pattern": "^[0-9a-f]{32}$"
            },
            "run_name": {
              "type": "string"
            },
            "status": {
              "type": "string",
              "enum": [
                "RUNNING",
                "SCHEDULED",
                "FINISHED",
                "FAILED",
                "KILLED"
              ]
            },
            "params": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            },
            "metrics": {
              "type": "object",
              "additionalProperties": {
                "description": "a logged metric's value: a number, or NaN and the infinities as the text \\"NaN\\", \\"Infinity\\", \\"-Infinity\\" (JSON has no such numbers; MLflow's REST API writes them so too)",
                "oneOf": [
                  {
                    "type": "number"
                  },
                  {
                    "enum": [
                      "NaN",
                      "Infinity",
                      "-Infinity"
                    ]
                  }
                ]
              }
            },
            "tags": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            }
          }
        }
      }
    }
  },
  "runs-list": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/runs-list/v1.json",
    "title": "RunsList",
    "description": "irisops runs ls --json: runs of one experiment, newest first unless --sort says otherwise",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "experiment",
      "runs"
    ],
    "properties": {
      "experiment": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "experiment_id",
          "name"
        ],
        "properties": {
          "experiment_id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          }
        }
      },
      "runs": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "run_id",
            "run_name",
            "experiment_id",
            "status",
            "start_time",
            "end_time",
            "params",
            "metrics",
            "tags",
            "registered_versions",
            "stale"
          ],
          "properties": {
            "run_id": {
              "type": "string",
              "pattern": "^[0-9a-f]{32}$"
            },
            "run_name": {
              "type": "string"
            },
            "experiment_id": {
              "type": "string"
            },
            "status": {
              "type": "string",
              "enum": [
                "RUNNING",
                "SCHEDULED",
                "FINISHED",
                "FAILED",
                "KILLED"
              ]
            },
            "start_time": {
              "type": "integer",
              "description": "epoch milliseconds"
            },
            "end_time": {
              "type": [
                "integer",
                "null"
              ],
              "description": "epoch milliseconds"
            },
            "params": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            },
            "metrics": {
              "type": "object",
              "additionalProperties": {
                "description": "a logged metric's value: a number, or NaN and the infinities as the text \\"NaN\\", \\"Infinity\\", \\"-Infinity\\" (JSON has no such numbers; MLflow's REST API writes them so too)",
                "oneOf": [
                  {
                    "type": "number"
                  },
                  {
                    "enum": [
                      "NaN",
                      "Infinity",
                      "-Infinity"
                    ]
                  }
                ]
              }
            },
            "tags": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            },
            "registered_versions": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "version",
                  "aliases"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "version": {
                    "type": "string",
                    "pattern": "^[1-9][0-9]*$"
                  },
                  "aliases": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              }
            },
            "stale": {
              "type": "boolean",
              "description": "RUNNING but the process that started it is gone"
            }
          }
        }
      },
      "page": {
        "type": "object",
        "description": "irisops ui's GET /api/runs: which slice of the matching runs this is",
        "additionalProperties": false,
        "required": [
          "offset",
          "limit",
          "next_offset"
        ],
        "properties": {
          "offset": {
            "type": "integer",
            "minimum": 0
          },
          "limit": {
            "type": "integer",
            "minimum": 1
          },
          "next_offset": {
            "type": [
              "integer",
              "null"
            ],
            "description": "offset of the next page, null on the last"
          }
        }
      }
    }
  },
  "service-info": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/service-info/v1.json",
    "title": "ServiceInfo",
    "description": "GET /: what this service is and where its endpoints are",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "service",
      "version",
      "status",
      "endpoints"
    ],
    "properties": {
      "service": {
        "type": "string"
      },
      "version": {
        "type": "string",
        "description": "irisops version"
      },
      "status": {
        "type": "string",
        "enum": [
          "running",
          "draining"
        ]
      },
      "model_version": {
        "type": [
          "string",
          "null"
        ]
      },
      "endpoints": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        },
        "required": [
          "health",
          "predict",
          "contract",
          "docs"
        ],
        "properties": {
          "health": {
            "type": "string"
          },
          "predict": {
            "type": "string"
          },
          "contract": {
            "type": "string"
          },
          "docs": {
            "type": "string"
          }
        }
      },
      "variants": {
        "type": "array",
        "description": "the models this server routes to (with --challenger or --shadow)",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "variant",
            "loaded",
            "model_version",
            "model_uri"
          ],
          "properties": {
            "variant": {
              "type": "string",
              "enum": [
                "champion",
                "challenger",
                "shadow"
              ]
            },
            "loaded": {
              "type": "boolean"
            },
            "model_name": {
              "type": [
                "string",
                "null"
              ]
            },
            "model_version": {
              "type": [
                "string",
                "null"
              ]
            },
            "model_uri": {
              "type": [
                "string",
                "null"
              ]
            },
            "percent": {
              "type": "number",
              "minimum": 0,
              "maximum": 100,
              "description": "share of traffic (challenger: answered; shadow: also predicted)"
            }
          }
        }
      }
    }
  },
  "train-result": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/train-result/v1.json",
    "title": "TrainResult",
    "description": "irisops train --json",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "run_id",
      "experiment_id",
      "run_name",
      "status",
      "params",
      "metrics",
      "tags",
      "artifact_uri",
      "model_uri",
      "model_digest",
      "dataset_digest",
      "registered_model"
    ],
    "properties": {
      "run_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{32}$"
      },
      "experiment_id": {
        "type": "string"
      },
      "run_name": {
        "type": "string"
      },
      "status": {
        "type": "string",
        "enum": [
          "RUNNING",
          "SCHEDULED",
          "FINISHED",
          "FAILED",
          "KILLED"
        ]
      },
      "params": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        }
      },
      "metrics": {
        "type": "object",
        "additionalProperties": {
          "type": "number"
        }
      },
      "tags": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        }
      },
      "artifact_uri": {
        "type": "string"
      },
      "model_uri": {
        "type": "string",
        "pattern": "^runs:/[0-9a-f]{32}/model$"
      },
      "model_digest": {
        "type": "string",
        "pattern": "^sha256:[0-9a-f]{64}$"
      },
      "dataset_digest": {
        "type": "string",
        "pattern": "^[0-9a-f]{64}$"
      },
      "registered_model": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "name",
              "version"
            ],
            "properties": {
              "name": {
                "type": "string"
              },
              "version": {
                "type": "string",
                "pattern": "^[1-9][0-9]*$"
              }
            }
          }
        ]
      }
    }
  },
  "tune-result": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/tune-result/v1.json",
    "title": "TuneResult",
    "description": "irisops tune --json: the parent run, one child per trial (in trial order), the winner refitted and logged as irisops train logs a run, and its registered version",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "parent_run_id",
      "experiment_id",
      "run_name",
      "status",
      "search",
      "metric",
      "cv_folds",
      "seed",
      "space",
      "trials",
      "winner",
      "registered_model"
    ],
    "properties": {
      "parent_run_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{32}$"
      },
      "experiment_id": {
        "type": "string"
      },
      "run_name": {
        "type": "string"
      },
      "status": {
        "type": "string",
        "enum": [
          "FINISHED"
        ]
      },
      "search": {
        "type": "string",
        "enum": [
          "grid",
          "random"
        ]
      },
      "metric": {
        "type": "string",
        "enum": [
          "cv_accuracy_mean",
          "cv_accuracy_min",
          "cv_accuracy_std"
        ]
      },
      "cv_folds": {
        "type": "integer",
        "minimum": 2
      },
      "seed": {
        "type": "integer"
      },
      "space": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "n_estimators",
          "max_depth",
          "max_features"
        ],
        "properties": {
          "n_estimators": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "integer"
            }
          },
          "max_depth": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "integer"
            }
          },
          "max_features": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "number"
            }
          }
        }
      },
      "trials": {
        "type": "array",
        "minItems": 1,
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "index",
            "run_id",
            "status",
            "params",
            "metrics"
          ],
          "properties": {
            "index": {
              "type": "integer",
              "minimum": 0
            },
            "run_id": {
              "type": "string",
              "pattern": "^[0-9a-f]{32}$"
            },
            "status": {
              "type": "string",
              "enum": [
                "FINISHED",
                "FAILED"
              ]
            },
            "params": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "n_estimators",
                "max_depth",
                "max_features",
                "random_state"
              ],
              "properties": {
                "n_estimators": {
                  "type": "integer",
                  "minimum": 1
                },
                "max_depth": {
                  "type": "integer",
                  "minimum": 1
                },
                "max_features": {
                  "type": "number",
                  "exclusiveMinimum": 0
                },
                "random_state": {
                  "type": "integer"
                }
              }
            },
            "metrics": {
              "description": "empty for a FAILED trial",
              "oneOf": [
                {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "cv_accuracy_mean",
                    "cv_accuracy_std",
                    "cv_accuracy_min"
                  ],
                  "properties": {
                    "cv_accuracy_mean": {
                      "type": "number"
                    },
                    "cv_accuracy_std": {
                      "type": "number"
                    },
                    "cv_accuracy_min": {
                      "type": "number"
                    }
                  }
                },
                {
                  "type": "object",
                  "additionalProperties": false
                }
              ]
            },
            "error": {
              "type": "string",
              "description": "why a FAILED trial failed"
            }
          }
        }
      },
      "winner": {
        "description": "the best trial, refitted on the train split and logged as its own run (a child of the parent) exactly as irisops train logs one",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "trial_index",
          "trial_run_id",
          "params",
          "trial_metrics",
          "run_id",
          "metrics",
          "model_uri",
          "model_digest",
          "dataset_digest"
        ],
        "properties": {
          "trial_index": {
            "type": "integer",
            "minimum": 0
          },
          "trial_run_id": {
            "type": "string",
            "pattern": "^[0-9a-f]{32}$"
          },
          "params": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "n_estimators",
              "max_depth",
              "max_features",
              "random_state"
            ],
            "properties": {
              "n_estimators": {
                "type": "integer",
                "minimum": 1
              },
              "max_depth": {
                "type": "integer",
                "minimum": 1
              },
              "max_features": {
                "type": "number",
                "exclusiveMinimum": 0
              },
              "random_state": {
                "type": "integer"
              }
            }
          },
          "trial_metrics": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "cv_accuracy_mean",
              "cv_accuracy_std",
              "cv_accuracy_min"
            ],
            "properties": {
              "cv_accuracy_mean": {
                "type": "number"
              },
              "cv_accuracy_std": {
                "type": "number"
              },
              "cv_accuracy_min": {
                "type": "number"
              }
            }
          },
          "run_id": {
            "type": "string",
            "pattern": "^[0-9a-f]{32}$"
          },
          "metrics": {
            "description": "the winner run's metrics, as irisops train logs them",
            "type": "object",
            "additionalProperties": {
              "type": "number"
            }
          },
          "model_uri": {
            "type": "string",
            "pattern": "^runs:/[0-9a-f]{32}/model$"
          },
          "model_digest": {
            "type": "string",
            "pattern": "^sha256:[0-9a-f]{64}$"
          },
          "dataset_digest": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$"
          }
        }
      },
      "registered_model": {
        "oneOf": [
          {
            "type": "null"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "name",
              "version"
            ],
            "properties": {
              "name": {
                "type": "string"
              },
              "version": {
                "type": "string",
                "pattern": "^[1-9][0-9]*$"
              }
            }
          }
        ]
      }
    },
    "$defs": {
      "trialParams": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "n_estimators",
          "max_depth",
          "max_features",
          "random_state"
        ],
        "properties": {
          "n_estimators": {
            "type": "integer",
            "minimum": 1
          },
          "max_depth": {
            "type": "integer",
            "minimum": 1
          },
          "max_features": {
            "type": "number",
            "exclusiveMinimum": 0
          },
          "random_state": {
            "type": "integer"
          }
        }
      },
      "trialMetrics": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "cv_accuracy_mean",
          "cv_accuracy_std",
          "cv_accuracy_min"
        ],
        "properties": {
          "cv_accuracy_mean": {
            "type": "number"
          },
          "cv_accuracy_std": {
            "type": "number"
          },
          "cv_accuracy_min": {
            "type": "number"
          }
        }
      },
      "trial": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "index",
          "run_id",
          "status",
          "params",
          "metrics"
        ],
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0
          },
          "run_id": {
            "type": "string",
            "pattern": "^[0-9a-f]{32}$"
          },
          "status": {
            "type": "string",
            "enum": [
              "FINISHED",
              "FAILED"
            ]
          },
          "params": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "n_estimators",
              "max_depth",
              "max_features",
              "random_state"
            ],
            "properties": {
              "n_estimators": {
                "type": "integer",
                "minimum": 1
              },
              "max_depth": {
                "type": "integer",
                "minimum": 1
              },
              "max_features": {
                "type": "number",
                "exclusiveMinimum": 0
              },
              "random_state": {
                "type": "integer"
              }
            }
          },
          "metrics": {
            "description": "empty for a FAILED trial",
            "oneOf": [
              {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "cv_accuracy_mean",
                  "cv_accuracy_std",
                  "cv_accuracy_min"
                ],
                "properties": {
                  "cv_accuracy_mean": {
                    "type": "number"
                  },
                  "cv_accuracy_std": {
                    "type": "number"
                  },
                  "cv_accuracy_min": {
                    "type": "number"
                  }
                }
              },
              {
                "type": "object",
                "additionalProperties": false
              }
            ]
          },
          "error": {
            "type": "string",
            "description": "why a FAILED trial failed"
          }
        }
      }
    }
  },
  "ui-alias-request": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/ui-alias-request/v1.json",
    "title": "UiAliasRequest",
    "description": "irisops ui: POST /api/alias (header x-csrf-token required), set or move an alias; the answer is a PromoteResult, a refusal a problem document",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "model",
      "version",
      "alias"
    ],
    "properties": {
      "model": {
        "type": "string",
        "minLength": 1
      },
      "version": {
        "type": "string",
        "pattern": "^[1-9][0-9]*$"
      },
      "alias": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255
      },
      "if_better": {
        "type": "boolean",
        "description": "move only if the version is at least as good on metrics.accuracy (registry promote --if-better metrics.accuracy)"
      }
    }
  },
  "ui-experiments": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/ui-experiments/v1.json",
    "title": "UiExperiments",
    "description": "irisops ui: GET /api/experiments, the store's experiments",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "store",
      "experiments"
    ],
    "properties": {
      "store": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "kind",
          "uri"
        ],
        "properties": {
          "kind": {
            "enum": [
              "local",
              "mlflow"
            ]
          },
          "uri": {
            "type": "string",
            "description": "the tracking URI, credentials redacted"
          }
        }
      },
      "experiments": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "experiment_id",
            "name",
            "lifecycle_stage",
            "creation_time",
            "tags"
          ],
          "properties": {
            "experiment_id": {
              "type": "string"
            },
            "name": {
              "type": "string"
            },
            "lifecycle_stage": {
              "enum": [
                "active",
                "deleted"
              ]
            },
            "creation_time": {
              "type": [
                "integer",
                "null"
              ]
            },
            "tags": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            }
          }
        }
      }
    }
  },
  "v2-error": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-error/v1.json",
    "title": "V2Error",
    "description": "Every error answer under /v2 (the Open Inference Protocol's form, not problem details): 400 for a request the protocol or the model refuses, 404 for an unknown model or version, 413 over --max-body, 415 for a content type that is not JSON, 503 when no model is loaded. The message says what is wrong and where (JSON pointers into the body).",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "error"
    ],
    "properties": {
      "error": {
        "type": "string",
        "minLength": 1
      }
    }
  },
  "v2-health": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-health/v1.json",
    "title": "V2Health",
    "description": "GET /v2/health/live ({\\"live\\": true}, 200 while the process answers) and GET /v2/health/ready ({\\"ready\\": …}: 200 when a model is loaded and the server is not draining, else 503, so a Kubernetes readiness probe takes the pod out of the Service).",
    "type": "object",
    "additionalProperties": false,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
      "live": {
        "type": "boolean"
      },
      "ready": {
        "type": "boolean"
      }
    }
  },
  "v2-infer-request": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-infer-request/v1.json",
    "title": "V2InferRequest",
    "description": "POST /v2/models/{name}[/versions/{version}]/infer, the Open Inference Protocol (KServe V2) JSON body: either one FP32 or FP64 tensor of shape [N, 4] (the four measurements in the order GET /v2/models/{name} lists them, row-major, data flat or nested), or four tensors of shape [N], each named after a measurement. Every measurement lies in the range iris.schema.json gives (checked after the tensors are read). outputs selects among predictions, probabilities and labels (all three when absent); id is echoed. The binary tensor data extension is not supported: send data as JSON. Properties not listed here are removed before the model sees the request.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "inputs"
    ],
    "properties": {
      "id": {
        "type": "string",
        "maxLength": 256,
        "description": "echoed in the response"
      },
      "parameters": {
        "type": "object",
        "description": "protocol parameters; accepted and ignored (this model takes none)"
      },
      "inputs": {
        "type": "array",
        "minItems": 1,
        "maxItems": 4,
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "shape",
            "datatype",
            "data"
          ],
          "properties": {
            "name": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            },
            "shape": {
              "type": "array",
              "minItems": 1,
              "maxItems": 2,
              "items": {
                "type": "integer",
                "minimum": 0
              }
            },
            "datatype": {
              "type": "string",
              "enum": [
                "FP32",
                "FP64"
              ]
            },
            "parameters": {
              "type": "object",
              "description": "protocol parameters; accepted and ignored (this model takes none)"
            },
            "data": {
              "type": "array",
              "description": "the tensor's values, row-major: flat, or nested one array per row",
              "items": {
                "type": [
                  "number",
                  "array"
                ],
                "items": {
                  "type": "number"
                }
              }
            }
          }
        }
      },
      "outputs": {
        "type": "array",
        "minItems": 1,
        "maxItems": 3,
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name"
          ],
          "properties": {
            "name": {
              "type": "string",
              "enum": [
                "predictions",
                "probabilities",
                "labels"
              ]
            },
            "parameters": {
              "type": "object",
              "description": "protocol parameters; accepted and ignored (this model takes none)"
            }
          }
        }
      }
    },
    "$defs": {
      "parameters": {
        "type": "object",
        "description": "protocol parameters; accepted and ignored (this model takes none)"
      },
      "input": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "shape",
          "datatype",
          "data"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          },
          "shape": {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {
              "type": "integer",
              "minimum": 0
            }
          },
          "datatype": {
            "type": "string",
            "enum": [
              "FP32",
              "FP64"
            ]
          },
          "parameters": {
            "type": "object",
            "description": "protocol parameters; accepted and ignored (this model takes none)"
          },
          "data": {
            "type": "array",
            "description": "the tensor's values, row-major: flat, or nested one array per row",
            "items": {
              "type": [
                "number",
                "array"
              ],
              "items": {
                "type": "number"
              }
            }
          }
        }
      }
    }
  },
  "v2-infer-response": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-infer-response/v1.json",
    "title": "V2InferResponse",
    "description": "200 answer to POST /v2/models/{name}[/versions/{version}]/infer: the outputs asked for (all three by default) for the N flowers sent, in request order; predictions are class indexes (0 setosa, 1 versicolor, 2 virginica), probabilities the share of trees voting for each class (row-major, class-index order), labels the class labels.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "model_name",
      "model_version",
      "outputs"
    ],
    "properties": {
      "model_name": {
        "type": "string",
        "minLength": 1
      },
      "model_version": {
        "type": "string",
        "minLength": 1
      },
      "id": {
        "type": "string"
      },
      "outputs": {
        "type": "array",
        "minItems": 1,
        "maxItems": 3,
        "items": {
          "oneOf": [
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "datatype",
                "shape",
                "data"
              ],
              "properties": {
                "name": {
                  "const": "predictions"
                },
                "datatype": {
                  "const": "INT64"
                },
                "shape": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 2,
                  "items": {
                    "type": "integer",
                    "minimum": 0
                  }
                },
                "data": {
                  "type": "array",
                  "items": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 2,
                    "description": "class index: 0 setosa, 1 versicolor, 2 virginica"
                  }
                }
              }
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "datatype",
                "shape",
                "data"
              ],
              "properties": {
                "name": {
                  "const": "probabilities"
                },
                "datatype": {
                  "const": "FP32"
                },
                "shape": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 2,
                  "items": {
                    "type": "integer",
                    "minimum": 0
                  }
                },
                "data": {
                  "type": "array",
                  "items": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1
                  }
                }
              }
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "datatype",
                "shape",
                "data"
              ],
              "properties": {
                "name": {
                  "const": "labels"
                },
                "datatype": {
                  "const": "BYTES"
                },
                "shape": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 2,
                  "items": {
                    "type": "integer",
                    "minimum": 0
                  }
                },
                "data": {
                  "type": "array",
                  "items": {
                    "type": "string",
                    "enum": [
                      "setosa",
                      "versicolor",
                      "virginica"
                    ],
                    "description": "the class label; its position in this list is the class index"
                  }
                }
              }
            }
          ]
        }
      }
    },
    "$defs": {
      "shape": {
        "type": "array",
        "minItems": 1,
        "maxItems": 2,
        "items": {
          "type": "integer",
          "minimum": 0
        }
      }
    }
  },
  "v2-model-metadata": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-model-metadata/v1.json",
    "title": "V2ModelMetadata",
    "description": "GET /v2/models/{name}[/versions/{version}]: the served model's name (its registered name, or the configured model_name for a runs:/ URI), the versions this server answers at, and its tensors. Input: one tensor of shape [-1, 4] (FP32 or FP64, any name) whose columns are the measurements in the order its parameters.features lists; the four measurements may instead be sent as four [-1] tensors named after them. Outputs: predictions, probabilities, labels.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "versions",
      "platform",
      "inputs",
      "outputs"
    ],
    "properties": {
      "name": {
        "type": "string",
        "minLength": 1
      },
      "versions": {
        "type": "array",
        "minItems": 1,
        "items": {
          "type": "string",
          "minLength": 1
        }
      },
      "platform": {
        "type": "string",
        "minLength": 1
      },
      "inputs": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "datatype",
            "shape"
          ],
          "properties": {
            "name": {
              "type": "string",
              "minLength": 1
            },
            "datatype": {
              "type": "string",
              "enum": [
                "FP32",
                "FP64",
                "INT64",
                "BYTES"
              ]
            },
            "shape": {
              "type": "array",
              "items": {
                "type": "integer",
                "minimum": -1
              }
            },
            "parameters": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "features": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "accepted_datatypes": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                }
              }
            }
          }
        }
      },
      "outputs": {
        "type": "array",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name",
            "datatype",
            "shape"
          ],
          "properties": {
            "name": {
              "type": "string",
              "minLength": 1
            },
            "datatype": {
              "type": "string",
              "enum": [
                "FP32",
                "FP64",
                "INT64",
                "BYTES"
              ]
            },
            "shape": {
              "type": "array",
              "items": {
                "type": "integer",
                "minimum": -1
              }
            },
            "parameters": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "features": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "accepted_datatypes": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                }
              }
            }
          }
        }
      }
    },
    "$defs": {
      "tensor": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "datatype",
          "shape"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1
          },
          "datatype": {
            "type": "string",
            "enum": [
              "FP32",
              "FP64",
              "INT64",
              "BYTES"
            ]
          },
          "shape": {
            "type": "array",
            "items": {
              "type": "integer",
              "minimum": -1
            }
          },
          "parameters": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "features": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "accepted_datatypes": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    }
  },
  "v2-model-ready": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-model-ready/v1.json",
    "title": "V2ModelReady",
    "description": "GET /v2/models/{name}[/versions/{version}]/ready: 200 when that model (version) is loaded and the server is not draining, else 503.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "ready"
    ],
    "properties": {
      "name": {
        "type": "string",
        "minLength": 1
      },
      "ready": {
        "type": "boolean"
      }
    }
  },
  "v2-server-metadata": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/v2-server-metadata/v1.json",
    "title": "V2ServerMetadata",
    "description": "GET /v2: the server's name, version and the protocol extensions it supports (none).",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "version",
      "extensions"
    ],
    "properties": {
      "name": {
        "const": "irisops"
      },
      "version": {
        "type": "string",
        "minLength": 1
      },
      "extensions": {
        "type": "array",
        "items": {
          "type": "string"
        }
      }
    }
  },
  "verify-report": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://irisops.dev/schemas/verify-report/v1.json",
    "title": "VerifyReport",
    "description": "irisops verify --json: the workshop checklist. ok is false when a required check failed (or any check with --strict).",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "ok",
      "strict",
      "summary",
      "checks"
    ],
    "properties": {
      "ok": {
        "type": "boolean",
        "description": "true when no check has status fail (exit code 0)"
      },
      "strict": {
        "type": "boolean",
        "description": "--strict was given: warnings count as failures"
      },
      "summary": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "pass",
          "warn",
          "fail"
        ],
        "properties": {
          "pass": {
            "type": "integer",
            "minimum": 0
          },
          "warn": {
            "type": "integer",
            "minimum": 0
          },
          "fail": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "checks": {
        "type": "array",
        "description": "the checks that ran, in checklist order",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "id",
            "status",
            "level",
            "message",
            "hint"
          ],
          "properties": {
            "id": {
              "type": "string",
              "enum": [
                "node",
                "deps",
                "config",
                "data",
                "tracking",
                "experiment",
                "model",
                "promoted",
                "artifact",
                "ui",
                "api",
                "predict",
                "contract",
                "docker",
                "image",
                "container",
                "ci"
              ]
            },
            "status": {
              "type": "string",
              "enum": [
                "pass",
                "warn",
                "fail"
              ]
            },
            "level": {
              "type": "string",
              "enum": [
                "required",
                "warn"
              ],
              "description": "required: a problem fails the check; warn: a problem is a warning unless --strict"
            },
            "message": {
              "type": "string",
              "minLength": 1
            },
            "hint": {
              "type": [
                "string",
                "null"
              ],
              "description": "for a problem: the command that fixes it, to run as printed; null when the check passed"
            }
          }
        }
      }
    }
  }
}
`
