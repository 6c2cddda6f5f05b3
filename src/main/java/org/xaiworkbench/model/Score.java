package org.xaiworkbench.model;

/** Which output of the network an attribution or attack differentiates. */
public enum Score {
    /** The pre-softmax output, as Captum attributes a model without a softmax. */
    LOGIT,
    /** The softmax probability. */
    PROBABILITY,
    /** log softmax; its negative is the cross-entropy loss, the score attacks climb. */
    LOG_PROBABILITY
}
