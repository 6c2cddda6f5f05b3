package org.xaiworkbench.model.graph;

/**
 * What a ReLU passes back in a backward pass. GUIDED and DECONVOLUTION are the rules of guided
 * backpropagation (Springenberg et al. 2015) and of the deconvolution network (Zeiler and Fergus 2014)
 * as Captum applies them to every ReLU: relu(g) * [z > 0], and relu(g) whatever z was. Every other op
 * keeps its gradient.
 */
public enum ReluRule {
    GRADIENT, GUIDED, DECONVOLUTION
}
